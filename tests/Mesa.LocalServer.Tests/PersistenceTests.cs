using Mesa.Client;
using Mesa.LocalServer.Hosting;
using Mesa.LocalServer.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Mesa.LocalServer.Tests;

/// <summary>A restart on the same SQLite file keeps everything; the file is in WAL mode.</summary>
public sealed class PersistenceTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private InProcessServer Start(string db) => new(new ServerOptions { DatabasePath = db, AdminToken = InProcessServer.AdminToken });

    [Fact]
    public async Task Data_survives_a_restart_on_the_same_file()
    {
        var db = Path.Combine(_dir.Path, "mesa.db");
        Principal alice;
        string d, policy;
        using (var server = Start(db))
        {
            alice = await server.RegisterAsync("offer", "license_terms");
            d = await server.OpenDeliberationAsync("persisted");
            policy = await server.AddPolicyAsync(new { name = "flag", predicate_name = "spend_over_cap", @params = new { cap = 1 }, action = "flag" });
            await server.Client.SubmitCommitmentAsync(server.Sign(alice, "offer", Payloads.Offer("kept", Payloads.Terms(("fee_total_usd", 2), ("ratio", 0.1))), d));
            await server.Client.AddTurnAsync(d, server.Sign(alice, "turn", Payloads.Turn("first"), d));
            await server.Client.UpdateDeliberationAsync(d, stage: "scope");
        }

        using (var server = Start(db))
        {
            var principal = await server.Client.GetPrincipalAsync(alice.Id);
            Assert.Equal(new[] { "offer", "license_terms" }, principal.Capabilities);
            var detail = await server.Client.GetDeliberationAsync(d);
            Assert.Equal("persisted", detail.Title);
            Assert.Equal("scope", detail.Stage);
            var commitment = Assert.Single(detail.Commitments);
            Assert.Equal("flagged", commitment.Status);
            var raw = await server.GetAsync("/deliberations/" + d);
            Assert.Contains("\"ratio\":0.1", raw.Text);
            Assert.Equal("first", Assert.Single(detail.Turns).Content);
            Assert.Equal(1, await server.HitsAsync(policy));

            // The same principal keeps signing after the restart; the next turn continues the index.
            await server.Client.SubmitCommitmentAsync(server.Sign(alice, "offer", Payloads.Offer(), d));
            Assert.Equal(1, (await server.Client.AddTurnAsync(d, server.Sign(alice, "turn", Payloads.Turn("second"), d))).Index);
            var duplicate = await server.PostAsync("/principals", new { org = "again", public_key = alice.Keys.PublicKeyHex });
            duplicate.ShouldFailWithText(409, "public_key already registered");
        }
    }

    [Fact]
    public async Task The_file_uses_wal_journaling()
    {
        var db = Path.Combine(_dir.Path, "wal.db");
        using (var server = Start(db))
        {
            await server.RegisterAsync();
            Assert.True(File.Exists(db + "-wal"));
        }

        using var connection = new SqliteConnection($"Data Source={db};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar());
    }

    [Fact]
    public async Task Another_process_writing_the_same_file_is_seen_despite_the_caches()
    {
        var db = Path.Combine(_dir.Path, "shared.db");
        using var first = Mesa.LocalServer.Storage.MesaStore.Open(db);
        using var second = Mesa.LocalServer.Storage.MesaStore.Open(db);
        var principal = first.CreatePrincipal("acme", MesaKeypair.Generate().PublicKeyHex);
        Assert.Empty(second.FindPrincipal(principal.Id)!.Capabilities); // now cached by the second store

        first.SetCapabilities(principal.Id, new[] { "offer" });
        Assert.Equal(new[] { "offer" }, second.FindPrincipal(principal.Id)!.Capabilities);

        var policy = second.AddPolicy(new Mesa.LocalServer.Policies.PolicyInput(null, "cap", "global", null, "spend_over_cap", """{"cap":1}""", "block", null, true, 0));
        var deliberation = first.CreateDeliberation("t", null, "offer");
        using var payload = System.Text.Json.JsonDocument.Parse("""{"summary":"s","terms":{"fee_total_usd":2}}""");
        var draft = new Mesa.LocalServer.Storage.CommitmentDraft("offer", principal.Id, deliberation.Id, payload.RootElement, "{}", new string('a', 128), "evt_1", "t", null);
        var blocked = await first.SubmitCommitmentAsync(draft, requireDeliberation: true);
        Assert.Equal(Mesa.LocalServer.Storage.CommitmentOutcomeKind.Blocked, blocked.Kind);
        Assert.Equal(policy.Id, blocked.Decision!.FirstBlock!.PolicyId);

        second.DeletePolicy(policy.Id);
        Assert.Equal(Mesa.LocalServer.Storage.CommitmentOutcomeKind.Stored, (await first.SubmitCommitmentAsync(draft, requireDeliberation: true)).Kind);
    }

    [Fact]
    public async Task An_in_memory_store_starts_empty_every_time()
    {
        using (var server = new InProcessServer())
        {
            await server.RegisterAsync();
            Assert.Single(await server.Client.GetPrincipalsAsync());
        }

        using var fresh = new InProcessServer();
        Assert.Empty(await fresh.Client.GetPrincipalsAsync());
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_refused_clearly()
    {
        var path = _dir.Write("notes.db", "these are notes, not a database, but long enough to have a header of sorts............");
        var ex = Assert.Throws<StartupException>(() => Mesa.LocalServer.Storage.MesaStore.Open(path));
        Assert.Contains("not an SQLite database", ex.Message);

        var foreign = Path.Combine(_dir.Path, "foreign.db");
        using (var connection = new SqliteConnection($"Data Source={foreign};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE invoices (id INTEGER)";
            command.ExecuteNonQuery();
        }

        var other = Assert.Throws<StartupException>(() => Mesa.LocalServer.Storage.MesaStore.Open(foreign));
        Assert.Contains("database of something else", other.Message);
        var missingDir = Assert.Throws<StartupException>(() => Mesa.LocalServer.Storage.MesaStore.Open(Path.Combine(_dir.Path, "no", "such", "dir.db")));
        Assert.Contains("does not exist", missingDir.Message);
    }
}
