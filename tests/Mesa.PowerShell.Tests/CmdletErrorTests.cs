using System.Management.Automation;
using Mesa.Client;

namespace Mesa.PowerShell.Tests;

/// <summary>
/// Errors as the cmdlets raise them: "id,cmdlet class" ids, non-terminating per pipeline item with the input as target,
/// typed exceptions catchable by type literal, and the no-connection error. A port nothing listens on gives real
/// request failures without a server.
/// </summary>
public sealed class CmdletErrorTests(PowerShellSession pwsh) : IClassFixture<PowerShellSession>
{
    [Fact]
    public void Without_a_connection_cmdlets_say_to_run_connect_mesa()
    {
        pwsh.Run("Disconnect-Mesa").AssertNoErrors();
        var result = pwsh.Run("Get-MesaPrincipal");
        var error = Assert.Single(result.Errors);
        Assert.Equal("NoConnection,Mesa.PowerShell.Commands.GetMesaPrincipalCommand", error.FullyQualifiedErrorId);
        Assert.Contains("Connect-Mesa", error.Exception.Message);
        Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
    }

    [Fact]
    public void Each_id_fails_on_its_own_and_the_rest_carry_on()
    {
        var result = pwsh.Run("'a1', 'a2' | Get-MesaPrincipal -Connection $c; 'after'", ("c", ClosedPort.NewConnection()));

        Assert.Equal("after", Assert.Single(result.Output).BaseObject);
        Assert.Equal(2, result.Errors.Count);
        Assert.All(result.Errors, e =>
        {
            Assert.Equal("ConnectionFailed,Mesa.PowerShell.Commands.GetMesaPrincipalCommand", e.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ConnectionError, e.CategoryInfo.Category);
            Assert.IsType<MesaException>(e.Exception);
        });
        Assert.Equal(["a1", "a2"], result.Errors.Select(e => e.TargetObject));
    }

    [Fact]
    public void An_id_that_cannot_be_a_path_segment_is_an_item_error_and_the_rest_carry_on()
    {
        // '..' would leave the route; the core refuses it before any request. The other ids still reach the (closed) port.
        var result = pwsh.Run(
            "'a1', '..', 'a2' | Get-MesaPrincipal -Connection $c; '..', 'a3' | Set-MesaCapability -Capability offer -Connection $c; 'after'",
            ("c", ClosedPort.NewConnection()));

        Assert.Equal("after", Assert.Single(result.Output).BaseObject);
        Assert.Equal(
            [
                "ConnectionFailed,Mesa.PowerShell.Commands.GetMesaPrincipalCommand",
                "InvalidArgument,Mesa.PowerShell.Commands.GetMesaPrincipalCommand",
                "ConnectionFailed,Mesa.PowerShell.Commands.GetMesaPrincipalCommand",
                "InvalidArgument,Mesa.PowerShell.Commands.SetMesaCapabilityCommand",
                "ConnectionFailed,Mesa.PowerShell.Commands.SetMesaCapabilityCommand",
            ],
            result.Errors.Select(e => e.FullyQualifiedErrorId));
        Assert.Equal(["a1", "..", "a2", "..", "a3"], result.Errors.Select(e => e.TargetObject));
        Assert.Contains("not an id", result.Errors[1].Exception.Message);
    }

    [Fact]
    public void A_principal_whose_org_cannot_be_encoded_is_an_item_error_and_the_rest_carry_on()
    {
        // A lone surrogate cannot be UTF-8 encoded: the body is refused before any request; the next item still goes out.
        var result = pwsh.Run(
            "[pscustomobject]@{ Org = \"bad$([char]0xD800)\"; PublicKey = 'a' * 64 }, [pscustomobject]@{ Org = 'ok'; PublicKey = 'b' * 64 } | " +
            "New-MesaPrincipal -Connection $c; 'after'",
            ("c", ClosedPort.NewConnection()));

        Assert.Equal("after", Assert.Single(result.Output).BaseObject);
        Assert.Equal(
            ["InvalidCanonicalJson,Mesa.PowerShell.Commands.NewMesaPrincipalCommand", "ConnectionFailed,Mesa.PowerShell.Commands.NewMesaPrincipalCommand"],
            result.Errors.Select(e => e.FullyQualifiedErrorId));
        Assert.Contains("surrogate", result.Errors[0].Exception.Message);
    }

    [Fact]
    public void Typed_exceptions_are_catchable_by_type_literal()
    {
        var result = pwsh.Run(
            "try { Get-MesaPrincipal -Id x -Connection $c -ErrorAction Stop; 'not thrown' } " +
            "catch [Mesa.Client.MesaException] { $_.Exception.GetType().FullName; $_.FullyQualifiedErrorId; $_.Exception.ErrorClass }",
            ("c", ClosedPort.NewConnection()));

        Assert.Equal(["Mesa.Client.MesaException", "ConnectionFailed,Mesa.PowerShell.Commands.GetMesaPrincipalCommand", "ConnectionFailed"],
            result.Output.Select(o => o.BaseObject));
    }

    [Fact]
    public void Unsigned_envelopes_without_a_keypair_are_refused_without_a_request()
    {
        // Had a request been made, the closed port would have answered ConnectionFailed instead.
        var result = pwsh.Run(
            "$e1 = New-MesaEnvelope -Type offer -EmittedBy me -DeliberationId d -Payload @{ summary = 's'; terms = @{} }; " +
            "$e2 = New-MesaEnvelope -Type offer -EmittedBy me -DeliberationId d -Payload @{ summary = 't'; terms = @{} }; " +
            "$e1, $e2 | Submit-MesaCommitment -Connection $c; 'after'",
            ("c", ClosedPort.NewConnection()));

        Assert.Equal("after", Assert.Single(result.Output).BaseObject);
        Assert.Equal(2, result.Errors.Count);
        Assert.All(result.Errors, e =>
        {
            Assert.Equal("EnvelopeNotSigned,Mesa.PowerShell.Commands.SubmitMesaCommitmentCommand", e.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, e.CategoryInfo.Category);
            Assert.Contains("-Keypair", e.Exception.Message);
            Assert.IsType<MesaEnvelope>(e.TargetObject);
        });
    }

    [Fact]
    public void With_a_keypair_unsigned_envelopes_are_signed_and_sent_and_the_target_is_the_input()
    {
        var result = pwsh.Run(
            "$e = New-MesaEnvelope -Type offer -EmittedBy me -DeliberationId d -Payload @{ summary = 's'; terms = @{} }; " +
            "$e | Submit-MesaCommitment -Keypair (New-MesaKeypair) -Connection $c; $e",
            ("c", ClosedPort.NewConnection()));

        var error = Assert.Single(result.Errors);
        Assert.Equal("ConnectionFailed,Mesa.PowerShell.Commands.SubmitMesaCommitmentCommand", error.FullyQualifiedErrorId);
        Assert.Same(Assert.Single(result.Output).BaseObject, error.TargetObject);
    }

    [Fact]
    public void A_profile_mismatch_warns_before_sending()
    {
        var result = pwsh.Run(
            "New-MesaEnvelope -Type offer -EmittedBy me -Profile v1 -Payload @{ summary = 's'; terms = @{} } -Keypair (New-MesaKeypair) | Submit-MesaCommitment -Connection $c",
            ("c", ClosedPort.NewConnection(MesaProfile.V2)));

        Assert.Contains("V1 profile", Assert.Single(result.Warnings).Message);
        Assert.Single(result.Errors);
    }

    [Fact]
    public void Submit_what_if_sends_nothing()
    {
        var result = pwsh.Run(
            "New-MesaEnvelope -Type offer -EmittedBy me -DeliberationId d -Payload @{ summary = 's'; terms = @{} } -Keypair (New-MesaKeypair) | Submit-MesaCommitment -Connection $c -WhatIf",
            ("c", ClosedPort.NewConnection()));

        Assert.Empty(result.Errors);
        Assert.Empty(result.Output);
    }

    [Fact]
    public void Test_mesa_connection_reports_a_failure_and_quiet_never_throws()
    {
        var result = pwsh.Run(
            "$t = Test-MesaConnection -Connection $c; $t.Succeeded; $t.Status; $t.PSTypeNames[0]; [bool]$t.Error; " +
            "Test-MesaConnection -Connection $c -Quiet; Disconnect-Mesa; Test-MesaConnection -Quiet",
            ("c", ClosedPort.NewConnection())).AssertNoErrors();

        Assert.Equal(new object[] { false, "ConnectionFailed", "Mesa.ConnectionTest", true, false, false }, result.Output.Select(o => o.BaseObject));
    }

    [Fact]
    public void A_failed_connect_mesa_is_connection_failed_and_makes_no_default()
    {
        var result = pwsh.Run(
            "Disconnect-Mesa; try { Connect-Mesa -Uri $u -TimeoutSec 5 -ErrorAction Stop } catch { $_.FullyQualifiedErrorId }; [bool](Get-MesaConnection)",
            ("u", ClosedPort.NewUri()));

        Assert.Equal(new object[] { "ConnectionFailed,Mesa.PowerShell.Commands.ConnectMesaCommand", false }, result.Output.Select(o => o.BaseObject));
    }
}
