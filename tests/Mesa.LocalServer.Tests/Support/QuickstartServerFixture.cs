using Mesa.Client;
using Mesa.LocalServer.Tests.Support;

namespace Mesa.LocalServer.Tests.EndToEnd;

/// <summary>One real server process for the quickstart: a temporary database, an admin token and a policies file.</summary>
public sealed class QuickstartServerFixture : IAsyncLifetime
{
    public const string AdminToken = "e2e-admin-token-c41b";

    private readonly TempDirectory _dir = new();

    public LocalServerProcess Server { get; private set; } = null!;

    public string DatabasePath => Path.Combine(_dir.Path, "quickstart.db");

    public async Task InitializeAsync()
    {
        var policies = _dir.Write("policies.json", """
            [
              {"id": "long-terms", "name": "terms over 36 months", "predicate_name": "term_months_over_cap", "params": {"cap": 36}, "action": "route", "route_to": "legal-review"},
              {"id": "big-spend", "name": "spend over 100k", "predicate_name": "spend_over_cap", "params": {"cap": 100000}, "action": "flag"},
              {"id": "pii", "name": "PII needs a DPA", "predicate_name": "scope_mentions_pii_without_dpa", "action": "block"}
            ]
            """);
        Server = await TestServer.StartAsync("--db", DatabasePath, "--admin-token", AdminToken, "--policies", policies);
    }

    public Task DisposeAsync()
    {
        Server?.Dispose();
        _dir.Dispose();
        return Task.CompletedTask;
    }
}
