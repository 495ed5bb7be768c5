using Mesa.LocalServer.Tests.Support;

namespace Mesa.LocalServer.Tests;

/// <summary>Concurrent writers: turn indexes without races, exact hit counts.</summary>
public sealed class ConcurrencyTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Many_concurrent_turns_on_one_deliberation_all_succeed_with_distinct_consecutive_indexes()
    {
        using var server = new InProcessServer(new Mesa.LocalServer.Hosting.ServerOptions { DatabasePath = Path.Combine(_dir.Path, "turns.db"), AdminToken = InProcessServer.AdminToken });
        var speakers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => server.RegisterAsync()));
        var d = await server.OpenDeliberationAsync();
        const int Count = 120;
        var envelopes = Enumerable.Range(0, Count).Select(i => server.Sign(speakers[i % speakers.Length], "turn", Payloads.Turn("turn " + i), d)).ToList();

        using var start = new SemaphoreSlim(0);
        var tasks = envelopes.Select(async e =>
        {
            await start.WaitAsync();
            return await server.PostTurnAsync(d, e);
        }).ToList();
        start.Release(Count);
        var responses = await Task.WhenAll(tasks);

        Assert.All(responses, r => r.ShouldSucceed(201));
        var indexes = responses.Select(r => r.Json.GetProperty("index").GetInt64()).Order().ToList();
        Assert.Equal(Enumerable.Range(0, Count).Select(i => (long)i).ToList(), indexes);
        var detail = await server.Client.GetDeliberationAsync(d);
        Assert.Equal(Enumerable.Range(0, Count).Select(i => (long)i).ToList(), detail.Turns.Select(t => (long)t.Index).ToList());
    }

    [Fact]
    public async Task Concurrent_commitments_count_every_hit()
    {
        using var server = new InProcessServer();
        var principal = await server.RegisterAsync("offer");
        var d = await server.OpenDeliberationAsync();
        var policy = await server.AddPolicyAsync(new { name = "flag all", predicate_name = "spend_over_cap", @params = new { cap = 0 }, action = "flag" });
        var responses = await Task.WhenAll(Enumerable.Range(0, 80).Select(i =>
            server.PostEnvelopeAsync(server.Sign(principal, "offer", Payloads.Offer("c" + i, Payloads.Terms(("fee_total_usd", i + 1))), d))));
        Assert.All(responses, r => r.ShouldSucceed(201));
        Assert.Equal(80, await server.HitsAsync(policy));
        Assert.Equal(80, (await server.Client.GetDeliberationAsync(d)).Commitments.Count);
    }
}
