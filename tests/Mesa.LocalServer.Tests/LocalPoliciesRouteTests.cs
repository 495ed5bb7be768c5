using System.Text.Json;
using Mesa.LocalServer.Hosting;
using Mesa.LocalServer.Tests.Support;

namespace Mesa.LocalServer.Tests;

/// <summary>The local-only /_local/policies extension: admin gate, list with hits30d, add, delete, validation.</summary>
public sealed class LocalPoliciesRouteTests : IDisposable
{
    private const string Path = "/_local/policies";
    private readonly InProcessServer _server = new();

    public void Dispose() => _server.Dispose();

    private Task<ApiResponse> AddAsync(string json, string? token = InProcessServer.AdminToken) => _server.SendAsync(HttpMethod.Post, Path, json, token);

    [Fact]
    public async Task Add_answers_201_with_the_stored_policy_and_a_new_id()
    {
        var response = await AddAsync("""{"name":"long terms","predicate_name":"term_months_over_cap","params":{"cap":36},"action":"route","route_to":"legal"}""");
        response.ShouldSucceed(201);
        var p = response.Json;
        Assert.Equal(
            new[] { "id", "name", "scope_kind", "scope_ref", "predicate_name", "params", "action", "route_to", "enabled", "hits30d", "created_at" },
            p.EnumerateObject().Select(m => m.Name));
        Assert.Matches("^[0-9a-f]{32}$", p.GetProperty("id").GetString());
        Assert.Equal("global", p.GetProperty("scope_kind").GetString());
        Assert.Equal(JsonValueKind.Null, p.GetProperty("scope_ref").ValueKind);
        Assert.Equal("""{"cap":36}""", p.GetProperty("params").GetRawText());
        Assert.True(p.GetProperty("enabled").GetBoolean());
        Assert.Equal(0, p.GetProperty("hits30d").GetInt64());
    }

    [Fact]
    public async Task A_given_id_is_kept_and_a_duplicate_id_is_409()
    {
        var body = """{"id":"pii-1","name":"pii","predicate_name":"scope_mentions_pii_without_dpa","action":"block"}""";
        var response = await AddAsync(body);
        response.ShouldSucceed(201);
        Assert.Equal("pii-1", response.Json.GetProperty("id").GetString());
        (await AddAsync(body)).ShouldFailWithText(409, "a policy with id 'pii-1' already exists");
    }

    [Fact]
    public async Task List_shows_every_policy_in_evaluation_order_with_its_hits()
    {
        var a = await _server.AddPolicyAsync(new { name = "a", predicate_name = "spend_over_cap", @params = new { cap = 1 }, action = "flag" });
        var b = await _server.AddPolicyAsync(new { name = "b", predicate_name = "spend_over_cap", @params = new { cap = 1000 }, action = "flag", enabled = false });
        var principal = await _server.RegisterAsync("offer");
        var d = await _server.OpenDeliberationAsync();
        await _server.Client.SubmitCommitmentAsync(_server.Sign(principal, "offer", Payloads.Offer("s", Payloads.Terms(("fee_total_usd", 5))), d));

        var list = await _server.GetAsync(Path, InProcessServer.AdminToken);
        list.ShouldSucceed(200);
        var items = list.Json.EnumerateArray().ToList();
        Assert.Equal(new[] { a, b }, items.Select(i => i.GetProperty("id").GetString()));
        Assert.Equal(new long[] { 1, 0 }, items.Select(i => i.GetProperty("hits30d").GetInt64()));
        Assert.False(items[1].GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task Delete_answers_204_and_the_policy_stops_applying()
    {
        var id = await _server.AddPolicyAsync(new { name = "block", predicate_name = "spend_over_cap", @params = new { cap = 0 }, action = "block" });
        var principal = await _server.RegisterAsync("offer");
        var d = await _server.OpenDeliberationAsync();
        var envelope = _server.Sign(principal, "offer", Payloads.Offer("s", Payloads.Terms(("fee_total_usd", 5))), d);
        (await _server.PostEnvelopeAsync(envelope)).ShouldFail(403, "policy_blocked");

        var deleted = await _server.SendAsync(HttpMethod.Delete, $"{Path}/{id}", adminToken: InProcessServer.AdminToken);
        Assert.Equal(204, deleted.StatusCode);
        Assert.Equal("", deleted.Text);
        (await _server.PostEnvelopeAsync(envelope)).ShouldSucceed(201);
        (await _server.SendAsync(HttpMethod.Delete, $"{Path}/{id}", adminToken: InProcessServer.AdminToken)).ShouldFailWithText(404, "policy not found");
    }

    [Fact]
    public async Task Every_local_policies_route_is_behind_the_admin_token()
    {
        (await _server.GetAsync(Path)).ShouldFail(403, "admin_forbidden");
        (await _server.GetAsync(Path, "wrong")).ShouldFail(403, "admin_forbidden");
        (await AddAsync("""{"name":"x","predicate_name":"spend_over_cap","params":{"cap":1},"action":"flag"}""", token: null)).ShouldFail(403, "admin_forbidden");
        (await _server.SendAsync(HttpMethod.Delete, Path + "/x")).ShouldFail(403, "admin_forbidden");
        // the admin gate runs before the body is validated
        (await AddAsync("""{"action":"explode"}""", token: "wrong")).ShouldFail(403, "admin_forbidden");

        using var disabled = new InProcessServer(new ServerOptions { DatabasePath = ":memory:", AdminToken = null });
        (await disabled.GetAsync(Path, "anything")).ShouldFail(403, "admin_disabled");
        (await disabled.SendAsync(HttpMethod.Post, Path, "{}", "anything")).ShouldFail(403, "admin_disabled");
        (await disabled.SendAsync(HttpMethod.Delete, Path + "/x", adminToken: "anything")).ShouldFail(403, "admin_disabled");
    }

    [Fact]
    public async Task An_unknown_predicate_is_a_value_error_naming_the_known_ones()
    {
        var problem = (await AddAsync("""{"name":"x","predicate_name":"always","action":"flag"}""")).ShouldHaveProblem("value_error", "body", "predicate_name");
        Assert.Equal(
            "Value error, unknown predicate 'always'; known predicates: ['agent_discount_over_cap', 'scope_mentions_pii_without_dpa', 'spend_over_cap', 'term_months_over_cap']",
            problem.GetProperty("msg").GetString());
    }

    [Fact]
    public async Task An_unknown_action_or_scope_is_a_literal_error()
    {
        var action = (await AddAsync("""{"name":"x","predicate_name":"spend_over_cap","params":{"cap":1},"action":"deny"}""")).ShouldHaveProblem("literal_error", "body", "action");
        Assert.Equal("Input should be 'allow', 'flag', 'route' or 'block'", action.GetProperty("msg").GetString());
        (await AddAsync("""{"name":"x","scope_kind":"team","predicate_name":"spend_over_cap","params":{"cap":1},"action":"flag"}""")).ShouldHaveProblem("literal_error", "body", "scope_kind");
        (await AddAsync("""{"name":"x","predicate_name":"spend_over_cap","params":{"cap":1}}""")).ShouldHaveProblem("missing", "body", "action");
    }

    [Fact]
    public async Task A_route_policy_needs_route_to()
    {
        var problem = (await AddAsync("""{"name":"x","predicate_name":"spend_over_cap","params":{"cap":1},"action":"route"}""")).ShouldHaveProblem("value_error", "body", "route_to");
        Assert.Contains("route_to", problem.GetProperty("msg").GetString());
        (await AddAsync("""{"name":"x","predicate_name":"spend_over_cap","params":{"cap":1},"action":"route","route_to":""}""")).ShouldHaveProblem("value_error", "body", "route_to");
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"cap":"36"}""")]
    [InlineData("""{"cap":true}""")]
    [InlineData("""{"cap":null}""")]
    public async Task A_cap_predicate_needs_a_numeric_cap(string parameters)
    {
        var response = await AddAsync($$"""{"name":"x","predicate_name":"term_months_over_cap","params":{{parameters}},"action":"flag"}""");
        response.ShouldHaveProblem("value_error", "body", "params");
    }

    [Fact]
    public async Task Other_shapes_are_rejected_with_pydantic_style_problems()
    {
        var response = await AddAsync("""{"name":"","predicate_name":"spend_over_cap","params":[],"action":"flag","enabled":"yes","hits30d":-1,"colour":"red"}""");
        response.ShouldHaveProblem("string_too_short", "body", "name");
        response.ShouldHaveProblem("dict_type", "body", "params");
        response.ShouldHaveProblem("bool_type", "body", "enabled");
        response.ShouldHaveProblem("greater_than_equal", "body", "hits30d");
        var extra = response.ShouldHaveProblem("extra_forbidden", "body", "colour");
        Assert.Equal("Extra inputs are not permitted", extra.GetProperty("msg").GetString());
        (await AddAsync("""{"name":"x","scope_kind":"agent","predicate_name":"spend_over_cap","params":{"cap":1},"action":"flag"}""")).ShouldHaveProblem("value_error", "body", "scope_ref");
        (await AddAsync("[]")).ShouldHaveProblem("model_attributes_type", "body");
    }
}
