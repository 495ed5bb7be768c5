using Mesa.LocalServer.Hosting;
using Mesa.LocalServer.Policies;
using Mesa.LocalServer.Tests.Support;

namespace Mesa.LocalServer.Tests;

/// <summary>--policies FILE: loading, effect, restart behaviour, and refusal of broken files with the entry and reason.</summary>
public sealed class PolicyFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private InProcessServer Start(string policiesFile, string database = ":memory:") =>
        new(new ServerOptions { DatabasePath = database, AdminToken = InProcessServer.AdminToken, PoliciesFile = policiesFile });

    [Fact]
    public async Task Policies_from_the_file_are_loaded_in_order_and_applied()
    {
        var file = _dir.Write("policies.json", """
            [
              {"id": "cap-36", "name": "long terms", "scope_kind": "global", "predicate_name": "term_months_over_cap", "params": {"cap": 36}, "action": "route", "route_to": "legal"},
              {"name": "pii", "predicate_name": "scope_mentions_pii_without_dpa", "action": "block"},
              {"name": "off", "predicate_name": "spend_over_cap", "params": {"cap": 0}, "action": "block", "enabled": false}
            ]
            """);
        using var server = Start(file);
        var list = (await server.GetAsync("/_local/policies", InProcessServer.AdminToken)).Json.EnumerateArray().ToList();
        Assert.Equal(new[] { "long terms", "pii", "off" }, list.Select(p => p.GetProperty("name").GetString()));
        Assert.Equal("cap-36", list[0].GetProperty("id").GetString());
        Assert.Matches("^[0-9a-f]{32}$", list[1].GetProperty("id").GetString());
        Assert.True(list[1].GetProperty("enabled").GetBoolean());
        Assert.False(list[2].GetProperty("enabled").GetBoolean());

        var principal = await server.RegisterAsync("offer");
        var d = await server.OpenDeliberationAsync();
        var routed = await server.Client.SubmitCommitmentAsync(server.Sign(principal, "offer", Payloads.Offer("s", Payloads.Terms(("term_months", 48))), d));
        Assert.Equal("route", routed.Decision.Action);
        Assert.Equal("legal", Assert.Single(routed.Decision.Applied).RouteTo);
        var blocked = await server.PostEnvelopeAsync(server.Sign(principal, "offer", Payloads.Offer("s", Payloads.Terms(("scope", new[] { "PII" }))), d));
        blocked.ShouldFail(403, "policy_blocked");
    }

    [Fact]
    public async Task Restarting_with_the_file_keeps_hit_counts_and_drops_entries_the_file_no_longer_lists()
    {
        var db = Path.Combine(_dir.Path, "mesa.db");
        var file = _dir.Write("policies.json", """[{"name":"a","predicate_name":"spend_over_cap","params":{"cap":1},"action":"flag"},{"name":"b","predicate_name":"spend_over_cap","params":{"cap":1},"action":"flag"}]""");
        string idA;
        using (var server = Start(file, db))
        {
            var principal = await server.RegisterAsync("offer");
            var d = await server.OpenDeliberationAsync();
            await server.Client.SubmitCommitmentAsync(server.Sign(principal, "offer", Payloads.Offer("s", Payloads.Terms(("fee_total_usd", 5))), d));
            idA = (await server.GetAsync("/_local/policies", InProcessServer.AdminToken)).Json[0].GetProperty("id").GetString()!;
            await server.AddPolicyAsync(new { name = "from http", predicate_name = "spend_over_cap", @params = new { cap = 1 }, action = "flag" });
        }

        _dir.Write("policies.json", """[{"name":"a","predicate_name":"spend_over_cap","params":{"cap":2},"action":"flag"}]""");
        using (var server = Start(file, db))
        {
            var list = (await server.GetAsync("/_local/policies", InProcessServer.AdminToken)).Json.EnumerateArray().ToList();
            Assert.Equal(new[] { "a", "from http" }, list.Select(p => p.GetProperty("name").GetString()));
            Assert.Equal(idA, list[0].GetProperty("id").GetString());
            Assert.Equal(1, list[0].GetProperty("hits30d").GetInt64());
            Assert.Equal("""{"cap":2}""", list[0].GetProperty("params").GetRawText());
        }
    }

    [Theory]
    [InlineData("""[{"name":"x","predicate_name":"spend_over_cap","params":{"cap":1},"action":"flag"},""", "is not valid JSON")]
    [InlineData("""{"name":"x"}""", "must hold a JSON array")]
    [InlineData("""["x"]""", "entry 1: a policy must be a JSON object")]
    [InlineData("""[{"name":"ok","predicate_name":"spend_over_cap","params":{"cap":1},"action":"flag"},{"name":"bad","predicate_name":"always","action":"flag"}]""", "entry 2 ('bad'): predicate_name: Value error, unknown predicate 'always'")]
    [InlineData("""[{"name":"bad","predicate_name":"spend_over_cap","params":{"cap":1},"action":"deny"}]""", "entry 1 ('bad'): action: Input should be 'allow', 'flag', 'route' or 'block'")]
    [InlineData("""[{"name":"r","predicate_name":"spend_over_cap","params":{"cap":1},"action":"route"}]""", "entry 1 ('r'): route_to: Value error, a 'route' policy must name route_to")]
    [InlineData("""[{"id":"a","name":"x","predicate_name":"spend_over_cap","params":{"cap":1},"action":"flag"},{"id":"a","name":"y","predicate_name":"spend_over_cap","params":{"cap":1},"action":"flag"}]""", "entry 2 ('y'): the id 'a' is already used by entry 1")]
    [InlineData("""[{"name":"x","predicate_name":"spend_over_cap","params":{"cap":1},"action":"flag","priority":1}]""", "entry 1 ('x'): priority: Extra inputs are not permitted")]
    public void A_broken_file_stops_the_start_naming_the_entry_and_the_reason(string content, string expected)
    {
        var file = _dir.Write("broken.json", content);
        var ex = Assert.Throws<StartupException>(() => PolicyFileLoader.Load(file));
        Assert.Contains(expected, ex.Message);
        Assert.Contains("broken.json", ex.Message);

        // The server refuses to start with it, and leaves the database alone.
        var db = Path.Combine(_dir.Path, "untouched.db");
        using var server = new MesaServerFactory(new ServerOptions { DatabasePath = db, PoliciesFile = file });
        var startup = Assert.Throws<StartupException>(() => server.CreateClient());
        Assert.Contains(expected, startup.Message);
        Assert.False(File.Exists(db));
    }
}
