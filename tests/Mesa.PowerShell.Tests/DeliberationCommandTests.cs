using System.Management.Automation;
using Mesa.Client;

namespace Mesa.PowerShell.Tests;

/// <summary>Deliberation and turn cmdlets against the real bundled server.</summary>
public sealed class DeliberationCommandTests : IClassFixture<LocalServerFixture>
{
    // Builds a signed envelope in the session: type, deliberation id (or $null), payload JSON.
    private const string SignedEnvelope =
        "param($type, $deliberationId, $payload) $none = [NullString]::Value; " +
        "[Mesa.Client.MesaEnvelope]::Create($type, $me.Id, $payload, $(if ($deliberationId) { $deliberationId } else { $none }), $none, $none, $none, 'V2').Sign($kp)";

    private readonly LocalServerFixture _server;

    public DeliberationCommandTests(LocalServerFixture server) => _server = server;

    [Fact]
    public void New_opens_a_deliberation_with_title_counterparty_and_stage()
    {
        using var session = _server.Connect();

        var created = session.RunSingle("New-MesaDeliberation -Title 'Data licence' -CounterpartySlug globex -Stage scope");

        Assert.Equal("Mesa.Deliberation", created.TypeNames[0]);
        Assert.IsType<MesaDeliberation>(created.BaseObject);
        Assert.Equal("Data licence", created.Properties["Title"].Value);
        Assert.Equal("globex", created.Properties["CounterpartySlug"].Value);
        Assert.Equal("scope", created.Properties["Stage"].Value);
        Assert.Equal("open", created.Properties["Status"].Value);
        Assert.Equal("offer", session.RunSingle("(New-MesaDeliberation -Title 'default stage').Stage").BaseObject);
    }

    [Fact]
    public void Get_lists_filters_by_status_and_gets_details_by_id_from_the_pipeline()
    {
        using var session = _server.Connect();
        var open = session.RunSingle("New-MesaDeliberation -Title 'stays open'").Properties["Id"].Value.ToString();
        var closed = session.RunSingle("New-MesaDeliberation -Title 'gets closed' | Close-MesaDeliberation").Properties["Id"].Value.ToString();

        var all = Ids(session.Run("Get-MesaDeliberation").Output);
        var openOnes = Ids(session.Run("Get-MesaDeliberation -Status open").Output);
        var closedOnes = Ids(session.Run("Get-MesaDeliberation -Status closed").Output);

        Assert.Contains(open, all);
        Assert.Contains(closed, all);
        Assert.Contains(open, openOnes);
        Assert.DoesNotContain(closed, openOnes);
        Assert.Contains(closed, closedOnes);
        Assert.DoesNotContain(open, closedOnes);

        var details = session.Run("Get-MesaDeliberation -Status open | Get-MesaDeliberation");
        Assert.Empty(details.Errors);
        Assert.All(details.Output, d => Assert.Equal("Mesa.DeliberationDetail", d.TypeNames[0]));
        Assert.Equal(openOnes, Ids(details.Output));

        // -Id with -Status keeps only the details with that status.
        Assert.Equal(new[] { open }, Ids(session.Run("Get-MesaDeliberation -Id $open, $closed -Status open", ("open", open), ("closed", closed)).Output));
    }

    [Fact]
    public void Set_changes_stage_and_status_and_Close_closes()
    {
        using var session = _server.Connect();
        session.Run("$global:d = New-MesaDeliberation -Title 'negotiation'");

        Assert.Equal("amendment", session.RunSingle("($d | Set-MesaDeliberation -Stage amendment).Stage").BaseObject);
        Assert.Equal("closed", session.RunSingle("(Close-MesaDeliberation $d.Id).Status").BaseObject);
        var reopened = session.RunSingle("Set-MesaDeliberation $d.Id -Status open -Stage signoff");
        Assert.Equal("open", reopened.Properties["Status"].Value);
        Assert.Equal("signoff", reopened.Properties["Stage"].Value);
        Assert.Equal("Mesa.Deliberation", reopened.TypeNames[0]);
    }

    [Fact]
    public void WhatIf_changes_nothing()
    {
        using var session = _server.Connect();
        session.Run("$global:d = New-MesaDeliberation -Title 'untouched'");
        var before = session.Run("Get-MesaDeliberation").Output.Count;

        Assert.Empty(session.Run("New-MesaDeliberation -Title 'never made' -WhatIf").Output);
        Assert.Empty(session.Run("Close-MesaDeliberation $d.Id -WhatIf").Output);
        Assert.Empty(session.Run("Set-MesaDeliberation $d.Id -Stage signoff -Status closed -WhatIf").Output);

        Assert.Equal(before, session.Run("Get-MesaDeliberation").Output.Count);
        var detail = session.RunSingle("Get-MesaDeliberation $d.Id");
        Assert.Equal("open", detail.Properties["Status"].Value);
        Assert.Equal("offer", detail.Properties["Stage"].Value);
    }

    [Fact]
    public void Turns_are_added_built_piped_or_as_envelopes_and_the_detail_reads_like_a_transcript()
    {
        using var session = _server.Connect();
        session.Run("$global:d = New-MesaDeliberation -Title 'transcript'");

        var first = session.RunSingle("Add-MesaTurn -DeliberationId $d.Id -Content 'We propose 12 months.' -EmittedBy $me.Id -Keypair $kp");
        var second = session.RunSingle("$d | Add-MesaTurn -Content 'Zwölf Monate, ok 👍' -EmittedBy $me.Id -Keypair $kp");
        var third = session.RunSingle($"& {{ {SignedEnvelope} }} turn $d.Id '{{\"content\":\"signed elsewhere\"}}' | Add-MesaTurn");

        Assert.Equal("Mesa.Turn", first.TypeNames[0]);
        Assert.IsType<MesaTurn>(first.BaseObject);
        Assert.Equal(new[] { 0, 1, 2 }, new[] { first, second, third }.Select(t => (int)t.Properties["Index"].Value));
        Assert.Equal("Zwölf Monate, ok 👍", second.Properties["Content"].Value);
        var me = session.RunSingle("$me.Id").BaseObject;
        Assert.Equal(me, first.Properties["SpeakerId"].Value);

        // A commitment inside the deliberation shows in the detail too.
        var submitted = session.Run($"$e = & {{ {SignedEnvelope} }} offer $d.Id '{{\"summary\":\"12 months\",\"terms\":{{\"term_months\":12}}}}'; $null = $conn.Client.SubmitCommitmentAsync($e, [Threading.CancellationToken]::None).GetAwaiter().GetResult()");
        Assert.Empty(submitted.Errors);

        var detail = session.RunSingle("Get-MesaDeliberation -Id $d.Id");
        Assert.Equal("Mesa.DeliberationDetail", detail.TypeNames[0]);
        Assert.Contains("Mesa.Deliberation", detail.TypeNames);
        Assert.IsType<MesaDeliberationDetail>(detail.BaseObject);
        var turns = session.Run("(Get-MesaDeliberation -Id $d.Id).Turns").Output;
        Assert.Equal(new[] { "We propose 12 months.", "Zwölf Monate, ok 👍", "signed elsewhere" }, turns.Select(t => t.Properties["Content"].Value));
        Assert.All(turns, t => Assert.Equal("Mesa.Turn", t.TypeNames[0]));
        var commitment = session.RunSingle("(Get-MesaDeliberation -Id $d.Id).Commitments");
        Assert.Equal("Mesa.CommitmentSummary", commitment.TypeNames[0]);
        Assert.Equal("offer", commitment.Properties["Type"].Value);
        Assert.Equal("active", commitment.Properties["Status"].Value);
    }

    [Fact]
    public void Turn_errors_carry_the_servers_code_and_do_not_stop_the_pipeline()
    {
        using var session = _server.Connect();
        session.Run("$global:d = New-MesaDeliberation -Title 'errors'; $global:other = New-MesaDeliberation -Title 'other'");

        // Unsigned: refused here, before any request; the next item still goes through.
        var piped = session.Run(
            "$n = [NullString]::Value; $u = [Mesa.Client.MesaEnvelope]::Create('turn', $me.Id, '{\"content\":\"x\"}', $d.Id, $n, $n, $n, 'V2'); " +
            $"$s = & {{ {SignedEnvelope} }} turn $d.Id '{{\"content\":\"after the bad one\"}}'; $u, $s | Add-MesaTurn");
        Assert.Equal("after the bad one", Assert.Single(piped.Output).Properties["Content"].Value);
        var unsigned = Assert.Single(piped.Errors);
        Assert.StartsWith("EnvelopeNotSigned,", unsigned.FullyQualifiedErrorId);
        Assert.Contains("not signed", unsigned.Exception.Message);

        AssertServerError(session, $"& {{ {SignedEnvelope} }} offer $d.Id '{{\"summary\":\"s\",\"terms\":{{}}}}' | Add-MesaTurn",
            "wrong_envelope_type", ErrorCategory.InvalidData, typeof(MesaBadRequestException));
        AssertServerError(session, $"& {{ {SignedEnvelope} }} turn $other.Id '{{\"content\":\"x\"}}' | Add-MesaTurn -DeliberationId $d.Id",
            "deliberation_mismatch", ErrorCategory.InvalidData, typeof(MesaBadRequestException));
        AssertServerError(session, "Add-MesaTurn -DeliberationId ('0' * 32) -Content x -EmittedBy $me.Id -Keypair $kp",
            "not_found", ErrorCategory.ObjectNotFound, typeof(MesaNotFoundException));
        session.Run("$null = Close-MesaDeliberation $d.Id");
        AssertServerError(session, "Add-MesaTurn -DeliberationId $d.Id -Content x -EmittedBy $me.Id -Keypair $kp",
            "deliberation_closed", ErrorCategory.PermissionDenied, typeof(MesaForbiddenException));

        // A signed turn that names no deliberation needs -DeliberationId.
        var unnamed = session.Run($"& {{ {SignedEnvelope} }} turn $null '{{\"content\":\"x\"}}' | Add-MesaTurn");
        Assert.StartsWith("NoDeliberationId,", Assert.Single(unnamed.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void Get_by_unknown_id_is_a_non_terminating_NotFound_and_the_other_ids_still_come()
    {
        using var session = _server.Connect();
        var id = session.RunSingle("(New-MesaDeliberation -Title known).Id").BaseObject.ToString();

        var result = session.Run("Get-MesaDeliberation -Id ('f' * 32), $id", ("id", id));

        Assert.Equal(new[] { id }, Ids(result.Output));
        var error = Assert.Single(result.Errors);
        Assert.IsType<MesaNotFoundException>(error.Exception);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal(new string('f', 32), error.TargetObject);
    }

    [Fact]
    public void Bad_arguments_are_refused_with_clear_errors()
    {
        using var session = _server.Connect();
        Assert.StartsWith("NothingToChange,", session.RunFailing("Set-MesaDeliberation -Id abc").FullyQualifiedErrorId);
        Assert.StartsWith("ParameterArgumentValidationError,", session.RunFailing("New-MesaDeliberation -Title t -Stage bogus").FullyQualifiedErrorId);
        Assert.StartsWith("ParameterArgumentValidationError,", session.RunFailing("Get-MesaDeliberation -Status pending").FullyQualifiedErrorId);

        using var unconnected = new PowerShellSession();
        var error = unconnected.RunFailing("New-MesaDeliberation -Title t");
        Assert.StartsWith("NoConnection,", error.FullyQualifiedErrorId);
        Assert.Contains("Connect-Mesa", error.Exception.Message);
    }

    private static void AssertServerError(PowerShellSession session, string script, string errorId, ErrorCategory category, Type exceptionType)
    {
        var result = session.Run(script);
        Assert.Empty(result.Output);
        var error = Assert.Single(result.Errors);
        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.IsType(exceptionType, error.Exception);
    }

    private static string[] Ids(IEnumerable<PSObject> items) => items.Select(i => i.Properties["Id"].Value.ToString()!).ToArray();
}
