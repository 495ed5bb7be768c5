using System.Management.Automation;
using Mesa.Client;

namespace Mesa.PowerShell.Tests;

/// <summary>
/// The views in Mesa.format.ps1xml render the expected columns; PlainText rendering carries no escape character and
/// Ansi rendering colours statuses and always resets.
/// </summary>
[Collection(OutputRenderingCollection.Name)]
public sealed class FormatViewTests(PowerShellSession pwsh) : IClassFixture<PowerShellSession>
{
    private const char Esc = '\u001b';
    private static readonly DateTimeOffset Created = DateTimeOffset.Parse("2026-11-28T11:50:16Z", System.Globalization.CultureInfo.InvariantCulture);

    private static MesaCommitment Commitment(string id, string status, MesaDecision decision) =>
        new() { Id = id, Type = "license_terms", PrincipalId = new string('p', 32), Status = status, Decision = decision, EnvelopeId = "evt_1" };

    private static MesaDecision RoutedDecision() => new()
    {
        Action = "route",
        Applied =
        [
            new MesaAppliedPolicy { PolicyId = "7", PolicyName = "long-term", Action = "flag" },
            new MesaAppliedPolicy { PolicyId = "8", PolicyName = "big-spend", Action = "route", RouteTo = "legal-review" },
        ],
    };

    private static PSObject Commitments() => PSObject.AsPSObject(new[]
    {
        ModuleObject.Wrap(Commitment(new string('c', 32), "flagged", RoutedDecision()), "Mesa.Commitment"),
        ModuleObject.Wrap(Commitment(new string('d', 32), "active", new MesaDecision { Action = "allow" }), "Mesa.Commitment"),
    });

    private static MesaDeliberationDetail Detail() => new()
    {
        Id = new string('e', 32), Title = "Corpus licence", CounterpartySlug = "acme", Stage = "offer", Status = "open", CreatedAt = Created,
        Turns =
        [
            new MesaTurn { Id = "t1", DeliberationId = "x", SpeakerId = "speaker-b", Content = "We counter at 12 months.", Index = 1, CreatedAt = Created },
            new MesaTurn { Id = "t0", DeliberationId = "x", SpeakerId = "speaker-a", Content = "Opening offer:\n24 months.", Index = 0, CreatedAt = Created },
        ],
        Commitments = [new MesaCommitmentSummary { Id = "cm-1", Type = "offer", PrincipalId = "speaker-a", Status = "flagged", CreatedAt = Created }],
    };

    private string Render(string rendering, string pipeline, params (string, object?)[] variables) =>
        pwsh.Run($"$PSStyle.OutputRendering = '{rendering}'; {pipeline} | Out-String -Width 200", variables).AssertNoErrors().Text;

    [Fact]
    public void Commitment_table_shows_status_and_fired_policies()
    {
        var text = Render("PlainText", "$x", ("x", Commitments()));

        Assert.Matches(@"Id\s+Type\s+Status\s+Policies", text);
        Assert.Matches(@"c{32}\s+license_terms\s+flagged\s+long-term, big-spend", text);
        Assert.Matches(@"d{32}\s+license_terms\s+active", text);
        Assert.DoesNotContain(Esc, text);
    }

    [Fact]
    public void Ansi_rendering_colours_statuses_and_resets()
    {
        var text = Render("Ansi", "$x", ("x", Commitments()));

        Assert.Contains($"{Esc}[33mflagged{Esc}[0m", text, StringComparison.Ordinal);
        Assert.Contains($"{Esc}[32mactive{Esc}[0m", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Host_rendering_through_out_string_carries_no_escapes()
    {
        Assert.DoesNotContain(Esc, Render("Host", "$x", ("x", Commitments())));
    }

    [Fact]
    public void Decision_list_shows_each_applied_policy_even_unwrapped()
    {
        // A commitment's Decision as it arrives from the core: no PSTypeName, selected by its .NET type name.
        var text = Render("PlainText", "$x", ("x", RoutedDecision()));

        Assert.Matches(@"Action\s+:\s+route", text);
        Assert.Matches(@"Applied\s+:\s+long-term: flag", text);
        Assert.Contains("big-spend: route -> legal-review", text);
        Assert.DoesNotContain(Esc, text);
        Assert.Contains("(none)", Render("PlainText", "$x", ("x", new MesaDecision { Action = "allow" })));
    }

    [Fact]
    public void Applied_policies_have_a_table()
    {
        var text = Render("PlainText", "$x", ("x", RoutedDecision().Applied.ToArray()));
        // The policy id (32 hex from a server) is left to Format-List: beside a long name and a route it would squeeze.
        Assert.Matches(@"PolicyName\s+Action\s+RouteTo\s*\n", text);
        Assert.Matches(@"big-spend\s+route\s+legal-review", text);
    }

    [Fact]
    public void Principal_table_joins_capabilities_and_leaves_the_key_to_format_list()
    {
        var principal = new MesaPrincipal { Id = new string('a', 32), Org = "acme", PublicKey = "0123456789abcdef" + new string('0', 32) + "fedcba9876543210", Capabilities = ["offer", "counter"], CreatedAt = Created };
        var text = Render("PlainText", "$x", ("x", ModuleObject.Wrap(principal, "Mesa.Principal")));

        Assert.Matches(@"Id\s+Org\s+Capabilities", text);
        Assert.Matches(@"a{32}\s+acme\s+offer, counter", text);
        Assert.DoesNotContain(principal.PublicKey, text);
    }

    [Fact]
    public void Keypair_view_shows_the_public_key()
    {
        var text = pwsh.Run("$PSStyle.OutputRendering = 'PlainText'; $kp = New-MesaKeypair; $kp | Out-String; $kp.PublicKeyHex").AssertNoErrors();
        Assert.Matches(@"PublicKey\s+-+\s+" + (string)text.Output[1].BaseObject, (string)text.Output[0].BaseObject);
    }

    [Fact]
    public void Envelope_list_and_table_views()
    {
        var result = pwsh.Run(
            "$PSStyle.OutputRendering = 'PlainText'; $e = New-MesaEnvelope -Type offer -EmittedBy me -DeliberationId d1 -Id evt_9 -Payload @{ summary = 's' } -Keypair (New-MesaKeypair); " +
            "$e | Out-String -Width 200; $e | Format-Table | Out-String -Width 200").AssertNoErrors();
        var list = (string)result.Output[0].BaseObject;
        var table = (string)result.Output[1].BaseObject;

        foreach (var label in new[] { "Id", "Type", "EmittedBy", "DeliberationId", "ParentId", "Timestamp", "Profile", "IsSigned", "Signature", "Payload" })
        {
            Assert.Matches($@"(?m)^{label}\s+:", list);
        }

        Assert.Matches(@"Payload\s+:\s+\{""summary"":""s""\}", list);
        Assert.Matches(@"Id\s+Type\s+IsSigned\s+Payload", table);
        Assert.Matches(@"evt_9\s+offer\s+True\s+\{""summary"":""s""\}", table);
    }

    [Fact]
    public void Connection_views_never_show_the_token()
    {
        var result = pwsh.Run("$PSStyle.OutputRendering = 'PlainText'; $c | Out-String -Width 200; Test-MesaConnection -Connection $c | Out-String -Width 200", ("c", ClosedPort.NewConnection())).AssertNoErrors();
        Assert.Matches(@"Uri\s+Profile\s+HasAdminToken\s+ServerStatus\s+TimeoutSec", (string)result.Output[0].BaseObject);
        Assert.Matches(@"http://127\.0\.0\.1:\d+/\s+V2\s+False\s+ok\s+10", (string)result.Output[0].BaseObject);
        Assert.Matches(@"Uri\s+Status\s+RoundTripMs\s+Error", (string)result.Output[1].BaseObject);
        Assert.Contains("ConnectionFailed", (string)result.Output[1].BaseObject);
    }

    [Fact]
    public void Local_server_table_shows_whether_a_token_is_set_not_the_token()
    {
        // module-b's MesaLocalServer, by its PSTypeName and shape (the view selects on the name).
        var text = pwsh.Run(
            "$PSStyle.OutputRendering = 'PlainText'; " +
            "[pscustomobject]@{ PSTypeName = 'Mesa.LocalServer'; Uri = [uri]'http://127.0.0.1:41234/'; ProcessId = 4242; Profile = 'V2'; " +
            "HasExited = $false; Responding = $true; AdminToken = (ConvertTo-SecureString 'tok-123' -AsPlainText -Force); " +
            "StartedAt = [DateTimeOffset]'2026-11-28T11:50:16Z'; DatabasePath = ':memory:' } | Out-String -Width 200").AssertNoErrors().Text;

        Assert.Matches(@"Uri\s+ProcessId\s+Responding\s+AdminToken\s+DatabasePath", text);
        Assert.Matches(@"http://127\.0\.0\.1:41234/\s+4242\s+yes\s+set\s+:memory:", text);
        Assert.DoesNotContain("SecureString", text);
    }

    [Fact]
    public void Deliberation_table()
    {
        var deliberation = new MesaDeliberation { Id = new string('f', 32), Title = "Corpus licence", CounterpartySlug = "acme", Stage = "scope", Status = "closed", CreatedAt = Created };
        var text = Render("PlainText", "$x", ("x", ModuleObject.Wrap(deliberation, "Mesa.Deliberation")));

        Assert.Matches(@"Id\s+Title\s+Stage\s+Status", text);
        Assert.Matches(@"f{32}\s+Corpus licence\s+scope\s+closed", text);
    }

    [Fact]
    public void Deliberation_detail_reads_like_a_transcript_then_commitments()
    {
        var text = Render("PlainText", "$x", ("x", ModuleObject.Wrap(Detail(), "Mesa.DeliberationDetail")));

        Assert.Contains("Deliberation: Corpus licence", text);
        Assert.Matches(@"Id: e{32}\r?\nStage: offer\s+Status: open\s+Counterparty: acme", text);
        var first = text.IndexOf("[0] speaker-a: Opening offer:", StringComparison.Ordinal);
        var second = text.IndexOf("[1] speaker-b: We counter at 12 months.", StringComparison.Ordinal);
        var commitments = text.IndexOf("Commitments (1)", StringComparison.Ordinal);
        Assert.True(first >= 0 && second > first && commitments > second, text);
        Assert.Matches(@"\n\s+24 months\.", text); // a continuation line, indented under the content
        Assert.Matches(@"offer\s+flagged\s+cm-1 by speaker-a", text[commitments..]);
        Assert.DoesNotContain(Esc, text);
    }

    [Fact]
    public void Deliberation_detail_unwrapped_uses_the_transcript_and_format_table_the_table()
    {
        var transcript = Render("PlainText", "$x", ("x", Detail()));
        var table = Render("PlainText", "$x | Format-Table", ("x", Detail()));

        Assert.Contains("Transcript (2 turns)", transcript);
        Assert.Matches(@"Id\s+Title\s+Stage\s+Status", table);
    }

    [Fact]
    public void Deliberation_detail_is_coloured_only_in_ansi()
    {
        var text = Render("Ansi", "$x", ("x", ModuleObject.Wrap(Detail(), "Mesa.DeliberationDetail")));
        Assert.Contains($"{Esc}[32mopen{Esc}[0m", text, StringComparison.Ordinal);
        Assert.Contains($"{Esc}[33mflagged", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Turn_and_commitment_summary_tables()
    {
        var detail = Detail();
        var turns = Render("PlainText", "$x", ("x", detail.Turns.ToArray()));
        var summaries = Render("PlainText", "$x", ("x", detail.Commitments.ToArray()));

        Assert.Matches(@"Index\s+SpeakerId\s+Content", turns);
        Assert.Matches(@"1\s+speaker-b\s+We counter at 12 months\.", turns);
        Assert.Matches(@"Id\s+Type\s+Status\s+CreatedAt", summaries);
        Assert.Matches(@"cm-1\s+offer\s+flagged\s+2026-11-28 11:50:16Z", summaries);
    }
}
