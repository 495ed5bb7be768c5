using Mesa.LocalServer.Hosting;
using Mesa.LocalServer.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Mesa.LocalServer.Tests;

/// <summary>A server-side failure answers FastAPI's plain 500 and leaves the other writes of its batch alone.</summary>
public sealed class ServerErrorTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task An_unknown_predicate_inserted_by_an_operator_is_a_server_error_that_harms_no_other_write()
    {
        var db = Path.Combine(_dir.Path, "operator.db");
        using var server = new InProcessServer(new ServerOptions { DatabasePath = db, AdminToken = InProcessServer.AdminToken });
        var principal = await server.RegisterAsync("offer");
        var d = await server.OpenDeliberationAsync();

        // Upstream has no policies API: operators insert rows. This one names a predicate nobody registered.
        using (var connection = new SqliteConnection($"Data Source={db};Pooling=False"))
        {
            connection.Open();
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO policy (id, name, scope_kind, predicate_name, params, action, created_at) VALUES ('bad', 'typo', 'global', 'spend_over_kap', '{}', 'block', '2026-01-01T00:00:00')";
            insert.ExecuteNonQuery();
        }

        var commitments = Enumerable.Range(0, 6).Select(i => server.PostEnvelopeAsync(server.Sign(principal, "offer", Payloads.Offer("c" + i), d)));
        var turns = Enumerable.Range(0, 6).Select(i => server.PostTurnAsync(d, server.Sign(principal, "turn", Payloads.Turn("t" + i), d)));
        var results = await Task.WhenAll(commitments.Concat(turns));

        Assert.All(results.Take(6), r =>
        {
            Assert.Equal(500, r.StatusCode);
            Assert.Equal("Internal Server Error", r.Text);
        });
        Assert.All(results.Skip(6), r => r.ShouldSucceed(201));
        var detail = await server.Client.GetDeliberationAsync(d);
        Assert.Empty(detail.Commitments);
        Assert.Equal(Enumerable.Range(0, 6), detail.Turns.Select(t => t.Index));
    }
}
