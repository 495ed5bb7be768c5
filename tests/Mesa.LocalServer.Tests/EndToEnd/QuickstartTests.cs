using Mesa.Client;
using Mesa.LocalServer.Tests.Support;

namespace Mesa.LocalServer.Tests.EndToEnd;

/// <summary>The quickstart with Mesa.Client against the server running as a real process on loopback.</summary>
public sealed class QuickstartTests(QuickstartServerFixture fixture) : IClassFixture<QuickstartServerFixture>
{
    private readonly MesaClient _client = fixture.Server.CreateClient(QuickstartServerFixture.AdminToken);

    private static Dictionary<string, object?> Offer(Dictionary<string, object?> terms) => new() { ["summary"] = "Licence for the 2026 news archive", ["terms"] = terms };

    [Fact]
    public async Task The_whole_quickstart_flow()
    {
        Assert.Equal("ok", (await _client.GetHealthAsync()).Status);

        // Register two principals and grant capabilities with the admin token.
        var labKeys = MesaKeypair.Generate();
        var publisherKeys = MesaKeypair.Generate();
        var lab = await _client.CreatePrincipalAsync("Acme AI Lab", labKeys.PublicKeyHex);
        var publisher = await _client.CreatePrincipalAsync("Daily Planet", publisherKeys.PublicKeyHex);
        Assert.Equal(labKeys.PublicKeyHex, lab.PublicKey);
        var granted = await _client.SetCapabilitiesAsync(lab.Id, new[] { "offer", "license_terms", "signoff" });
        Assert.Equal(new[] { "offer", "license_terms", "signoff" }, granted.Capabilities);
        await _client.SetCapabilitiesAsync(publisher.Id, new[] { "counter", "approval" });
        Assert.Contains(await _client.GetPrincipalsAsync(), p => p.Id == lab.Id);

        // Open a deliberation and talk.
        var deliberation = await _client.CreateDeliberationAsync("News archive licence", "daily-planet", "offer");
        Assert.Equal("open", deliberation.Status);
        var turn = await _client.AddTurnAsync(deliberation.Id, MesaEnvelope.Create("turn", lab.Id, new Dictionary<string, object?> { ["content"] = "We would like to license the archive." }, deliberation.Id).Sign(labKeys));
        Assert.Equal(0, turn.Index);

        // Sign and submit: nothing fires -> active / allow.
        var offer = MesaEnvelope.Create("offer", lab.Id, Offer(new() { ["term_months"] = 24, ["fee_total_usd"] = 50000 }), deliberation.Id).Sign(labKeys);
        var active = await _client.SubmitCommitmentAsync(offer);
        Assert.Equal("active", active.Status);
        Assert.Equal("allow", active.Decision.Action);
        Assert.Empty(active.Decision.Applied);
        Assert.Equal(offer.Id, active.EnvelopeId);

        // A route and a flag policy fire -> flagged / route, both listed in evaluation order.
        var longAndBig = MesaEnvelope.Create("offer", lab.Id, Offer(new() { ["term_months"] = 48, ["fee_total_usd"] = 250000 }), deliberation.Id).Sign(labKeys);
        var flagged = await _client.SubmitCommitmentAsync(longAndBig);
        Assert.Equal("flagged", flagged.Status);
        Assert.Equal("route", flagged.Decision.Action);
        Assert.Equal(new[] { "long-terms", "big-spend" }, flagged.Decision.Applied.Select(a => a.PolicyId));
        Assert.Equal("legal-review", flagged.Decision.Applied[0].RouteTo);
        Assert.Equal("terms over 36 months", flagged.Decision.Applied[0].PolicyName);
        Assert.Null(flagged.Decision.Applied[1].RouteTo);

        // A block policy fires -> 403 policy_blocked, nothing stored.
        var pii = MesaEnvelope.Create("offer", lab.Id, Offer(new() { ["scope"] = new[] { "pii" } }), deliberation.Id).Sign(labKeys);
        var blocked = await Assert.ThrowsAsync<MesaForbiddenException>(() => _client.SubmitCommitmentAsync(pii));
        Assert.Equal("policy_blocked", blocked.Code);
        Assert.Equal("pii", blocked.GetDetailValue("policy_id"));
        Assert.Equal("PII needs a DPA", blocked.GetDetailValue("policy_name"));

        // The publisher counters, then the lab signs off; the transcript holds everything stored.
        var counter = MesaEnvelope.Create("counter", publisher.Id, new Dictionary<string, object?>
        {
            ["supersedes"] = active.Id, ["summary"] = "Same, but 30 months", ["terms"] = new Dictionary<string, object?> { ["term_months"] = 30 },
        }, deliberation.Id).Sign(publisherKeys);
        Assert.Equal("active", (await _client.SubmitCommitmentAsync(counter)).Status);
        await _client.UpdateDeliberationAsync(deliberation.Id, stage: "signoff");
        var signoff = MesaEnvelope.Create("signoff", lab.Id, new Dictionary<string, object?>
        {
            ["agreed_commitments"] = new[] { active.Id }, ["outcome"] = "agreement",
        }, deliberation.Id).Sign(labKeys);
        await _client.SubmitCommitmentAsync(signoff);
        var closed = await _client.UpdateDeliberationAsync(deliberation.Id, status: "closed");
        Assert.Equal("closed", closed.Status);

        var detail = await _client.GetDeliberationAsync(deliberation.Id);
        Assert.Equal("signoff", detail.Stage);
        Assert.Equal(new[] { "offer", "offer", "counter", "signoff" }, detail.Commitments.Select(c => c.Type));
        Assert.Equal(new[] { "active", "flagged", "active", "active" }, detail.Commitments.Select(c => c.Status));
        Assert.Single(detail.Turns);
        Assert.Contains(await _client.GetDeliberationsAsync("closed"), d => d.Id == deliberation.Id);
        Assert.DoesNotContain(await _client.GetDeliberationsAsync("open"), d => d.Id == deliberation.Id);

        // The hit counts show in the local extension.
        var policies = await _client.SendRawAsync(HttpMethod.Get, "_local/policies", adminToken: QuickstartServerFixture.AdminToken);
        var hits = policies.EnumerateArray().ToDictionary(p => p.GetProperty("id").GetString()!, p => p.GetProperty("hits30d").GetInt64());
        Assert.True(hits["long-terms"] >= 1 && hits["big-spend"] >= 1 && hits["pii"] >= 1);
    }

    [Fact]
    public void Stdout_holds_only_the_ready_line_and_no_output_shows_the_admin_token()
    {
        Assert.Equal(LocalServerReadyLine.Format($"http://127.0.0.1:{fixture.Server.Port}"), fixture.Server.ReadyLine);
        Assert.Equal(fixture.Server.ReadyLine, fixture.Server.StandardOutputText().Trim());
        Assert.DoesNotContain(QuickstartServerFixture.AdminToken, fixture.Server.StandardOutputText() + fixture.Server.StandardErrorText());
    }
}
