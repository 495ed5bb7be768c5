using System.Text.Json;
using Mesa.LocalServer.Tests.Support;

namespace Mesa.LocalServer.Tests;

/// <summary>The policy gate over HTTP (contract section 8): scopes, predicates, precedence, applied lists, hit counts.</summary>
public sealed class PolicyEvaluationTests : IDisposable
{
    private readonly InProcessServer _server = new();

    public void Dispose() => _server.Dispose();

    private async Task<(Principal Principal, string Deliberation)> SetupAsync()
    {
        var principal = await _server.RegisterAsync("offer");
        return (principal, await _server.OpenDeliberationAsync());
    }

    private async Task<ApiResponse> SubmitTermsAsync(Principal principal, string deliberation, string termsJson)
    {
        var payload = $$"""{"summary":"s","terms":{{termsJson}}}""";
        return await _server.PostEnvelopeAsync(Mesa.Client.MesaEnvelope.Create("offer", principal.Id, payload, deliberation).Sign(principal.Keys));
    }

    private Task<string> CapPolicyAsync(string predicate, object cap, string action = "flag", string? routeTo = null, string scope = "global", string? scopeRef = null, bool enabled = true) =>
        _server.AddPolicyAsync(new Dictionary<string, object?>
        {
            ["name"] = $"{predicate} {action}", ["scope_kind"] = scope, ["scope_ref"] = scopeRef, ["predicate_name"] = predicate,
            ["params"] = new Dictionary<string, object?> { ["cap"] = cap }, ["action"] = action, ["route_to"] = routeTo, ["enabled"] = enabled,
        });

    private static string Decision(ApiResponse response) => response.Json.GetProperty("decision").GetProperty("action").GetString()!;

    private static bool Fired(ApiResponse response, string policyId) =>
        response.Json.GetProperty("decision").GetProperty("applied").EnumerateArray().Any(a => a.GetProperty("policy_id").GetString() == policyId);

    [Theory]
    [InlineData("term_months_over_cap", "term_months")]
    [InlineData("spend_over_cap", "fee_total_usd")]
    [InlineData("agent_discount_over_cap", "discount_pct")]
    public async Task Cap_predicates_fire_only_when_strictly_greater(string predicate, string field)
    {
        var (p, d) = await SetupAsync();
        var policy = await CapPolicyAsync(predicate, 36);
        Assert.True(Fired(await SubmitTermsAsync(p, d, $$"""{"{{field}}":37}"""), policy));
        Assert.True(Fired(await SubmitTermsAsync(p, d, $$"""{"{{field}}":36.5}"""), policy));
        Assert.True(Fired(await SubmitTermsAsync(p, d, $$"""{"{{field}}":1e300}"""), policy));
        Assert.True(Fired(await SubmitTermsAsync(p, d, $$"""{"{{field}}":100000000000000000000000000000000000000}"""), policy));
        Assert.False(Fired(await SubmitTermsAsync(p, d, $$"""{"{{field}}":36}"""), policy));
        Assert.False(Fired(await SubmitTermsAsync(p, d, $$"""{"{{field}}":36.0}"""), policy));
        Assert.False(Fired(await SubmitTermsAsync(p, d, $$"""{"{{field}}":-40}"""), policy));
        Assert.False(Fired(await SubmitTermsAsync(p, d, $$"""{"{{field}}":"100"}"""), policy));
        Assert.False(Fired(await SubmitTermsAsync(p, d, $$"""{"{{field}}":true}"""), policy));
        Assert.False(Fired(await SubmitTermsAsync(p, d, $$"""{"{{field}}":null}"""), policy));
        Assert.False(Fired(await SubmitTermsAsync(p, d, $$"""{"{{field}}":[100]}"""), policy));
        Assert.False(Fired(await SubmitTermsAsync(p, d, """{"other":100}"""), policy));
        Assert.Equal(4, await _server.HitsAsync(policy));
    }

    [Fact]
    public async Task A_fractional_cap_compares_exactly_with_integers()
    {
        var (p, d) = await SetupAsync();
        var policy = await CapPolicyAsync("spend_over_cap", 99.5);
        Assert.True(Fired(await SubmitTermsAsync(p, d, """{"fee_total_usd":100}"""), policy));
        Assert.False(Fired(await SubmitTermsAsync(p, d, """{"fee_total_usd":99}"""), policy));
        var big = await CapPolicyAsync("spend_over_cap", 9007199254740993m);
        // 9007199254740993 is not a double; Python compares the integer exactly.
        Assert.False(Fired(await SubmitTermsAsync(p, d, """{"fee_total_usd":9007199254740993}"""), big));
        Assert.True(Fired(await SubmitTermsAsync(p, d, """{"fee_total_usd":9007199254740994}"""), big));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("[{\"term_months\":99}]")]
    [InlineData("\"terms\"")]
    [InlineData("5")]
    [InlineData("null")]
    public async Task Terms_that_are_not_an_object_never_fire(string terms)
    {
        // No built-in type lets terms be anything but an object, so a permissive extra pack carries the payload.
        using var packs = new TempDirectory();
        packs.Write("free/anything.json", """{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object"}""");
        using var server = new InProcessServer(new Mesa.LocalServer.Hosting.ServerOptions
        {
            DatabasePath = ":memory:", AdminToken = InProcessServer.AdminToken, SchemaDirectories = new[] { packs.Path },
        });
        var principal = await server.RegisterAsync("anything");
        var d = await server.OpenDeliberationAsync();
        var policies = new List<string>();
        foreach (var predicate in new[] { "term_months_over_cap", "spend_over_cap", "agent_discount_over_cap" })
        {
            policies.Add(await server.AddPolicyAsync(new { name = predicate, predicate_name = predicate, @params = new { cap = 0 }, action = "block" }));
        }

        policies.Add(await server.AddPolicyAsync(new { name = "pii", predicate_name = "scope_mentions_pii_without_dpa", action = "block" }));
        var payload = $$"""{"terms":{{terms}},"scope":["PII"],"term_months":99,"fee_total_usd":99,"discount_pct":99}""";
        var response = await server.PostEnvelopeAsync(Mesa.Client.MesaEnvelope.Create("anything", principal.Id, payload, d).Sign(principal.Keys));
        response.ShouldSucceed(201);
        Assert.Equal("allow", Decision(response));
        foreach (var policy in policies) Assert.Equal(0, await server.HitsAsync(policy));
    }

    [Theory]
    [InlineData("""{"scope":["PII"]}""", true)]
    [InlineData("""{"scope":["pii"]}""", true)]
    [InlineData("""{"scope":["analytics","Pii"]}""", true)]
    [InlineData("""{"scope":["PII"],"dpa_attached":false}""", true)]
    [InlineData("""{"scope":["PII"],"dpa_attached":null}""", true)]
    [InlineData("""{"scope":["PII"],"dpa_attached":0}""", true)]
    [InlineData("""{"scope":["PII"],"dpa_attached":0.0}""", true)]
    [InlineData("""{"scope":["PII"],"dpa_attached":""}""", true)]
    [InlineData("""{"scope":["PII"],"dpa_attached":[]}""", true)]
    [InlineData("""{"scope":["PII"],"dpa_attached":{}}""", true)]
    [InlineData("""{"scope":["PII"],"dpa_attached":true}""", false)]
    [InlineData("""{"scope":["PII"],"dpa_attached":1}""", false)]
    [InlineData("""{"scope":["PII"],"dpa_attached":"yes"}""", false)]
    [InlineData("""{"scope":["PII"],"dpa_attached":"false"}""", false)]
    [InlineData("""{"scope":["PII"],"dpa_attached":[0]}""", false)]
    [InlineData("""{"scope":["PII"],"dpa_attached":{"id":"x"}}""", false)]
    [InlineData("""{"scope":["PIIs"]}""", false)]
    [InlineData("""{"scope":[" PII"]}""", false)]
    [InlineData("""{"scope":"PII"}""", false)]
    [InlineData("""{"scope":[["PII"]]}""", false)]
    [InlineData("""{"scope":[]}""", false)]
    [InlineData("""{}""", false)]
    public async Task Pii_without_dpa_follows_python_truthiness(string terms, bool fires)
    {
        var (p, d) = await SetupAsync();
        var policy = await _server.AddPolicyAsync(new { name = "pii needs dpa", predicate_name = "scope_mentions_pii_without_dpa", action = "flag" });
        Assert.Equal(fires, Fired(await SubmitTermsAsync(p, d, terms), policy));
    }

    [Fact]
    public async Task Agent_scope_matches_only_its_principal_and_counterparty_scope_never_matches()
    {
        var (alice, d) = await SetupAsync();
        var bob = await _server.RegisterAsync("offer");
        var forAlice = await CapPolicyAsync("spend_over_cap", 10, scope: "agent", scopeRef: alice.Id);
        var counterparty = await CapPolicyAsync("spend_over_cap", 10, scope: "counterparty", scopeRef: "acme");
        var global = await CapPolicyAsync("spend_over_cap", 10);

        var a = await SubmitTermsAsync(alice, d, """{"fee_total_usd":11}""");
        Assert.True(Fired(a, forAlice));
        Assert.True(Fired(a, global));
        Assert.False(Fired(a, counterparty));
        var b = await SubmitTermsAsync(bob, d, """{"fee_total_usd":11}""");
        Assert.False(Fired(b, forAlice));
        Assert.True(Fired(b, global));
        Assert.Equal(0, await _server.HitsAsync(counterparty));
    }

    [Fact]
    public async Task Disabled_policies_are_not_evaluated()
    {
        var (p, d) = await SetupAsync();
        var disabled = await CapPolicyAsync("spend_over_cap", 0, action: "block", enabled: false);
        var response = await SubmitTermsAsync(p, d, """{"fee_total_usd":5}""");
        response.ShouldSucceed(201);
        Assert.Equal("allow", Decision(response));
        Assert.Equal(0, await _server.HitsAsync(disabled));
    }

    [Fact]
    public async Task The_strongest_action_wins_and_applied_lists_every_policy_that_fired_in_order()
    {
        var (p, d) = await SetupAsync();
        var allow = await CapPolicyAsync("spend_over_cap", 1, action: "allow");
        var flag = await CapPolicyAsync("spend_over_cap", 2, action: "flag");
        var route = await CapPolicyAsync("spend_over_cap", 3, action: "route", routeTo: "legal@acme");
        var block = await CapPolicyAsync("spend_over_cap", 4, action: "block");

        var allowOnly = await SubmitTermsAsync(p, d, """{"fee_total_usd":2}""");
        Assert.Equal("allow", Decision(allowOnly));
        Assert.Equal("active", allowOnly.Json.GetProperty("status").GetString());
        Assert.Equal(
            $$"""[{"policy_id":"{{allow}}","policy_name":"spend_over_cap allow","action":"allow","route_to":null}]""",
            allowOnly.Json.GetProperty("decision").GetProperty("applied").GetRawText());

        var flagged = await SubmitTermsAsync(p, d, """{"fee_total_usd":3}""");
        Assert.Equal("flag", Decision(flagged));
        Assert.Equal("flagged", flagged.Json.GetProperty("status").GetString());

        var routed = await SubmitTermsAsync(p, d, """{"fee_total_usd":4}""");
        Assert.Equal("route", Decision(routed));
        Assert.Equal("flagged", routed.Json.GetProperty("status").GetString());
        var applied = routed.Json.GetProperty("decision").GetProperty("applied").EnumerateArray().ToList();
        Assert.Equal(new[] { allow, flag, route }, applied.Select(a => a.GetProperty("policy_id").GetString()));
        Assert.Equal("legal@acme", applied[2].GetProperty("route_to").GetString());

        var blocked = await SubmitTermsAsync(p, d, """{"fee_total_usd":5}""");
        blocked.ShouldFail(403, "policy_blocked");
        Assert.Equal(block, blocked.Detail.GetProperty("policy_id").GetString());
        Assert.Equal("spend_over_cap block", blocked.Detail.GetProperty("policy_name").GetString());
        Assert.Equal("blocked by policy 'spend_over_cap block'", blocked.Detail.GetProperty("message").GetString());

        Assert.Equal(4, await _server.HitsAsync(allow));
        Assert.Equal(3, await _server.HitsAsync(flag));
        Assert.Equal(2, await _server.HitsAsync(route));
        Assert.Equal(1, await _server.HitsAsync(block));
    }

    [Fact]
    public async Task A_block_stores_nothing_but_keeps_the_hit_counts_and_names_the_first_blocking_policy()
    {
        var (p, d) = await SetupAsync();
        var flag = await CapPolicyAsync("term_months_over_cap", 12, action: "flag");
        var firstBlock = await CapPolicyAsync("term_months_over_cap", 24, action: "block");
        var secondBlock = await CapPolicyAsync("term_months_over_cap", 0, action: "block");
        var response = await SubmitTermsAsync(p, d, """{"term_months":36}""");
        response.ShouldFail(403, "policy_blocked");
        Assert.Equal(firstBlock, response.Detail.GetProperty("policy_id").GetString());
        Assert.Empty((await _server.Client.GetDeliberationAsync(d)).Commitments);
        Assert.Equal(1, await _server.HitsAsync(flag));
        Assert.Equal(1, await _server.HitsAsync(firstBlock));
        Assert.Equal(1, await _server.HitsAsync(secondBlock));
    }

    [Fact]
    public async Task Flagged_commitments_are_stored_with_status_flagged()
    {
        var (p, d) = await SetupAsync();
        await CapPolicyAsync("spend_over_cap", 10, action: "route", routeTo: "finance");
        (await SubmitTermsAsync(p, d, """{"fee_total_usd":11}""")).ShouldSucceed(201);
        var stored = Assert.Single((await _server.Client.GetDeliberationAsync(d)).Commitments);
        Assert.Equal("flagged", stored.Status);
    }
}
