using System.Management.Automation;
using Mesa.Client;

namespace Mesa.PowerShell.Tests;

/// <summary>
/// The pipelines the issue promises bind as intended. Requests go to a port nothing listens on: the failure's target
/// shows which value was bound, without a server.
/// </summary>
public sealed class PipelineBindingTests(PowerShellSession pwsh) : IClassFixture<PowerShellSession>
{
    private static PSObject Principal(string id) =>
        ModuleObject.Wrap(new MesaPrincipal { Id = id, Org = "acme", PublicKey = new string('a', 64), Capabilities = ["offer"] }, "Mesa.Principal");

    [Fact]
    public void A_keypair_pipes_into_new_mesa_principal()
    {
        var result = pwsh.Run("$kp = New-MesaKeypair; $kp | New-MesaPrincipal -Org acme -Connection $c; $kp", ("c", ClosedPort.NewConnection()));
        var error = Assert.Single(result.Errors);

        // With -Org bound PowerShell settles on the default (PublicKey) set, so the keypair binds by PublicKeyHex.
        Assert.Equal("ConnectionFailed,Mesa.PowerShell.Commands.NewMesaPrincipalCommand", error.FullyQualifiedErrorId);
        Assert.Equal(((MesaKeypair)Assert.Single(result.Output).BaseObject).PublicKeyHex, error.TargetObject);
    }

    [Fact]
    public void An_explicit_keypair_binds_too()
    {
        var result = pwsh.Run("$kp = New-MesaKeypair; New-MesaPrincipal -Org acme -Keypair $kp -Connection $c", ("c", ClosedPort.NewConnection()));
        Assert.IsType<MesaKeypair>(Assert.Single(result.Errors).TargetObject);
    }

    [Fact]
    public void Objects_with_org_and_public_key_pipe_into_new_mesa_principal()
    {
        var result = pwsh.Run("[pscustomobject]@{ Org = 'acme'; PublicKey = 'ab' * 32 } | New-MesaPrincipal -Connection $c", ("c", ClosedPort.NewConnection()));
        Assert.Equal(string.Concat(Enumerable.Repeat("ab", 32)), Assert.Single(result.Errors).TargetObject);
    }

    [Fact]
    public void Principals_pipe_into_set_mesa_capability_by_id()
    {
        var result = pwsh.Run("$p | Set-MesaCapability -Capability offer, counter -Connection $c",
            ("p", new[] { Principal("id-one"), Principal("id-two") }), ("c", ClosedPort.NewConnection()));

        Assert.Equal(["id-one", "id-two"], result.Errors.Select(e => e.TargetObject));
        Assert.All(result.Errors, e => Assert.Equal("ConnectionFailed,Mesa.PowerShell.Commands.SetMesaCapabilityCommand", e.FullyQualifiedErrorId));
    }

    [Fact]
    public void Principals_pipe_into_get_mesa_principal_by_id()
    {
        var result = pwsh.Run("$p | Get-MesaPrincipal -Connection $c", ("p", Principal("id-three")), ("c", ClosedPort.NewConnection()));
        Assert.Equal("id-three", Assert.Single(result.Errors).TargetObject);
    }

    [Fact]
    public void Set_mesa_capability_what_if_sends_nothing()
    {
        var result = pwsh.Run("$p | Set-MesaCapability -Capability offer -WhatIf -Connection $c", ("p", Principal("id-four")), ("c", ClosedPort.NewConnection()));
        Assert.Empty(result.Errors);
        Assert.Empty(result.Output);
    }

    [Fact]
    public void Add_and_remove_read_the_principal_first()
    {
        var result = pwsh.Run("Set-MesaCapability -Id id-five -Capability offer -Add -WhatIf -Connection $c", ("c", ClosedPort.NewConnection()));
        // The read comes before ShouldProcess (the -WhatIf message shows the resulting list), so it is attempted.
        Assert.Equal("ConnectionFailed,Mesa.PowerShell.Commands.SetMesaCapabilityCommand", Assert.Single(result.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void A_deliberation_supplies_the_deliberation_id()
    {
        var deliberation = ModuleObject.Wrap(new MesaDeliberation { Id = "dlb-7", Title = "t", Stage = "offer", Status = "open" }, "Mesa.Deliberation");
        var turn = new MesaTurn { Id = "t", DeliberationId = "dlb-8", SpeakerId = "s", Content = "c" };
        var result = pwsh.Run(
            "($d | New-MesaEnvelope -Type offer -EmittedBy me -Payload @{ a = 1 }).DeliberationId; " +
            "(New-MesaEnvelope -Type offer -EmittedBy me -Payload @{ a = 1 } -DeliberationId $d).DeliberationId; " +
            "($t | New-MesaEnvelope -Type turn -EmittedBy me -Payload @{ content = 'x' }).DeliberationId; " +
            "('dlb-9' | New-MesaEnvelope -Type offer -EmittedBy me -Payload @{ a = 1 }).DeliberationId",
            ("d", deliberation), ("t", turn)).AssertNoErrors();

        Assert.Equal(["dlb-7", "dlb-7", "dlb-8", "dlb-9"], result.Output.Select(o => o.BaseObject));
    }

    [Fact]
    public void Profile_defaults_to_the_connections_then_v2()
    {
        var result = pwsh.Run(
            "Disconnect-Mesa; (New-MesaEnvelope -Type offer -EmittedBy me -Payload @{ a = 1 }).Profile.ToString(); " +
            "(New-MesaEnvelope -Type offer -EmittedBy me -Payload @{ a = 1 } -Connection $c).Profile.ToString(); " +
            "(New-MesaEnvelope -Type offer -EmittedBy me -Payload @{ a = 1 } -Connection $c -Profile v2).Profile.ToString()",
            ("c", ClosedPort.NewConnection(MesaProfile.V1))).AssertNoErrors();

        Assert.Equal(["V2", "V1", "V2"], result.Output.Select(o => o.BaseObject));
    }

    [Fact]
    public void Signed_envelopes_verify_against_their_key_only()
    {
        var result = pwsh.Run(
            "$kp = New-MesaKeypair; $e = New-MesaEnvelope -Type offer -EmittedBy me -DeliberationId d -Payload @{ a = 'é' } -Keypair $kp; " +
            "$e | Test-MesaEnvelope -Keypair $kp; Test-MesaEnvelope -Envelope $e -PublicKey $kp.PublicKeyHex.ToUpperInvariant(); " +
            "Test-MesaEnvelope -Envelope $e -PublicKey (New-MesaKeypair).PublicKeyHex; " +
            "Test-MesaEnvelope -Envelope (New-MesaEnvelope -Type offer -EmittedBy me -Payload @{ a = 1 }) -Keypair $kp").AssertNoErrors();

        Assert.Equal(new object[] { true, true, false, false }, result.Output.Select(o => o.BaseObject));
    }

    [Fact]
    public void A_malformed_public_key_is_a_clear_error()
    {
        var result = pwsh.Run("Test-MesaEnvelope -Envelope (New-MesaEnvelope -Type offer -EmittedBy me -Payload @{ a = 1 }) -PublicKey abc");
        Assert.Equal("InvalidPublicKey,Mesa.PowerShell.Commands.TestMesaEnvelopeCommand", Assert.Single(result.Errors).FullyQualifiedErrorId);
    }

    [Theory]
    [InlineData("Set-MesaCapability -Id x -Capability li", "license_terms")]
    [InlineData("Set-MesaCapability -Id x -Capability offer, co", "counter")]
    [InlineData("New-MesaEnvelope -Type part", "participant_joined")]
    [InlineData("New-MesaEnvelope -Profile v2 -Type tu", "turn")]
    public void Commitment_types_complete(string line, string expected)
    {
        var result = pwsh.Run("(TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText", ("line", line)).AssertNoErrors();
        Assert.Equal(expected, Assert.Single(result.Output).BaseObject);
    }

    [Fact]
    public void The_v1_profile_has_no_turn_type()
    {
        var result = pwsh.Run("$line = 'New-MesaEnvelope -Profile v1 -Type '; (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText").AssertNoErrors();
        Assert.Equal(CommitmentTypeSet.For(MesaProfile.V1).Select(t => t.Name), result.Output.Select(o => (string)o.BaseObject));
        Assert.DoesNotContain("turn", result.Output.Select(o => (string)o.BaseObject));
    }

    [Fact]
    public void All_known_types_are_offered()
    {
        var result = pwsh.Run("$line = 'Set-MesaCapability -Id x -Capability '; (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText").AssertNoErrors();
        Assert.Equal(CommitmentTypeSet.For(MesaProfile.V2).Select(t => t.Name), result.Output.Select(o => (string)o.BaseObject));
        Assert.Equal(12, result.Output.Count);
    }

    [Fact]
    public void Each_type_shows_its_payload_fields_from_its_schema_as_the_tooltip()
    {
        var result = pwsh.Run("$line = 'New-MesaEnvelope -Type offer'; (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.ToolTip").AssertNoErrors();
        Assert.Equal("core: summary, terms [, expires_at]", Assert.Single(result.Output).BaseObject);
    }

    [Fact]
    public void Objects_naming_their_deliberation_bind_its_id_into_the_deliberation_cmdlets()
    {
        // Each has an Id of its own that is not the deliberation's: the target shows the DeliberationId was bound.
        var turn = ModuleObject.Wrap(new MesaTurn { Id = "turn-1", DeliberationId = "dlb-1", SpeakerId = "s", Content = "c" }, "Mesa.Turn");
        var commitment = ModuleObject.Wrap(new MesaCommitment { Id = "cmt-2", Type = "offer", DeliberationId = "dlb-2" }, "Mesa.Commitment");
        var summary = ModuleObject.Wrap(new MesaCommitmentSummary { Id = "cmt-3", Type = "offer", DeliberationId = "dlb-3" }, "Mesa.CommitmentSummary");
        var deliberation = ModuleObject.Wrap(new MesaDeliberation { Id = "dlb-4", Title = "t", Stage = "offer", Status = "open" }, "Mesa.Deliberation");
        var result = pwsh.Run(
            "$objects | Get-MesaDeliberation -Connection $c; $objects | Close-MesaDeliberation -Connection $c -Confirm:$false; " +
            "$objects | Get-MesaCommitment -Connection $c",
            ("objects", new[] { turn, commitment, summary, deliberation }), ("c", ClosedPort.NewConnection()));

        string[] expected = ["dlb-1", "dlb-2", "dlb-3", "dlb-4"];
        Assert.Equal(expected.Concat(expected).Concat(expected), result.Errors.Select(e => e.TargetObject));
        Assert.All(result.Errors, e => Assert.StartsWith("ConnectionFailed,", e.FullyQualifiedErrorId));
    }

    [Fact]
    public void Connections_pipe_into_test_mesa_connection()
    {
        var connection = ClosedPort.NewConnection();
        var result = pwsh.Run("$c | Test-MesaConnection; $c | Test-MesaConnection -Quiet", ("c", connection)).AssertNoErrors();
        Assert.Equal(2, result.Output.Count);
        Assert.Equal(connection.Uri, ((MesaConnectionTest)result.Output[0].BaseObject).Uri);
        Assert.False(((MesaConnectionTest)result.Output[0].BaseObject).Succeeded);
        Assert.Equal(false, result.Output[1].BaseObject);
    }

    [Fact]
    public void Add_mesa_turn_what_if_sends_nothing()
    {
        // A request would fail against the closed port; -WhatIf must stop before it.
        var result = pwsh.Run(
            "$kp = New-MesaKeypair; Add-MesaTurn -DeliberationId d -Content hi -EmittedBy me -Keypair $kp -WhatIf -Connection $c",
            ("c", ClosedPort.NewConnection()));
        Assert.Empty(result.Errors);
        Assert.Empty(result.Output);
    }

    [Fact]
    public void Id_completion_against_a_closed_port_offers_nothing_and_writes_no_error()
    {
        var result = pwsh.Run(
            "$Error.Clear(); $line = 'Get-MesaPrincipal -Connection $c -Id '; (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.Count; $Error.Count",
            ("c", ClosedPort.NewConnection()));
        Assert.Empty(result.Errors);
        Assert.Equal(new object[] { 0, 0 }, result.Output.Select(o => o.BaseObject));
    }
}
