using Mesa.Client;
using Mesa.LocalServer.Hosting;
using Mesa.LocalServer.Storage;
using Mesa.LocalServer.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Mesa.LocalServer.Tests.EndToEnd;

/// <summary>
/// The SQLite file records the protocol generation it holds (issue 9 item 7): a server of the other generation refuses
/// to start with one line on stderr and exit code 2, and changes nothing; files made before the marker are told by
/// their rows.
/// </summary>
public sealed class DatabaseGenerationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_v1_server_refuses_a_v2_database_with_one_line_and_exit_code_2()
    {
        var db = Path.Combine(_dir.Path, "v2.db");
        using (var made = await TestServer.StartAsync("--db", db, "--protocol", "v2"))
        {
            Assert.Equal(0, await made.TerminateAsync());
        }

        var before = Snapshot(db);
        var (code, stdout, stderr) = await TestServer.RunToExitAsync("--urls", "http://127.0.0.1:0", "--db", db, "--protocol", "v1");
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        var first = stderr.Split('\n')[0];
        Assert.Contains("holds protocol v2 data", first);
        Assert.Contains("this server runs --protocol v1", first);
        Assert.Contains("Start the server with --protocol v2, or give another --db file.", first);
        Assert.DoesNotContain("   at ", stderr);
        Assert.Equal(before, Snapshot(db));
    }

    [Fact]
    public async Task A_v2_server_refuses_a_v1_database_the_same_way()
    {
        var db = Path.Combine(_dir.Path, "v1.db");
        using (var made = await TestServer.StartAsync("--db", db, "--protocol", "v1"))
        {
            Assert.Equal(0, await made.TerminateAsync());
        }

        var (code, stdout, stderr) = await TestServer.RunToExitAsync("--urls", "http://127.0.0.1:0", "--db", db);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains("holds protocol v1 data", stderr);
        Assert.Contains("this server runs --protocol v2", stderr);

        // The same generation still opens it.
        using var again = await TestServer.StartAsync("--db", db, "--protocol", "v1");
        Assert.Equal("", again.StandardErrorText());
    }

    [Fact]
    public async Task A_file_from_before_the_marker_is_told_by_its_rows()
    {
        // v2 rows: a deliberation.
        var v2 = Path.Combine(_dir.Path, "old-v2.db");
        using (var server = Server(v2, MesaProfile.V2)) await server.OpenDeliberationAsync();
        DropMarker(v2);
        var refused = Assert.Throws<StartupException>(() => MesaStore.Open(v2, MesaProfile.V1));
        Assert.Contains("holds protocol v2 data (its data was made by a --protocol v2 server)", refused.Message);
        Assert.False(HasMarkerTable(v2), "a refused start writes nothing");
        using (MesaStore.Open(v2, MesaProfile.V2))
        {
        }

        Assert.Equal("v2", Marker(v2));

        // v1 rows: a commitment outside any deliberation.
        var v1 = Path.Combine(_dir.Path, "old-v1.db");
        using (var server = Server(v1, MesaProfile.V1))
        {
            var alice = await server.RegisterAsync("offer");
            (await server.PostEnvelopeAsync(MesaEnvelope.Create("offer", alice.Id, Payloads.Offer(), profile: MesaProfile.V1).Sign(alice.Keys))).ShouldSucceed(201);
        }

        DropMarker(v1);
        Assert.Contains("holds protocol v1 data", Assert.Throws<StartupException>(() => MesaStore.Open(v1, MesaProfile.V2)).Message);
        using (MesaStore.Open(v1, MesaProfile.V1))
        {
        }

        Assert.Equal("v1", Marker(v1));
    }

    [Fact]
    public async Task A_file_from_before_the_marker_that_shows_neither_opens_as_today()
    {
        var db = Path.Combine(_dir.Path, "principals-only.db");
        using (var server = Server(db, MesaProfile.V2)) await server.RegisterAsync("offer");
        DropMarker(db);
        using (MesaStore.Open(db, MesaProfile.V1))
        {
        }

        Assert.Equal("v1", Marker(db));
    }

    private static InProcessServer Server(string db, MesaProfile profile) =>
        new(new ServerOptions { DatabasePath = db, AdminToken = InProcessServer.AdminToken, Protocol = profile });

    private static SqliteConnection Connect(string db)
    {
        var connection = new SqliteConnection($"Data Source={db};Pooling=False");
        connection.Open();
        return connection;
    }

    private static void DropMarker(string db)
    {
        using var connection = Connect(db);
        using var drop = connection.CreateCommand();
        drop.CommandText = "DROP TABLE mesa_meta";
        drop.ExecuteNonQuery();
    }

    private static bool HasMarkerTable(string db)
    {
        using var connection = Connect(db);
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE name = 'mesa_meta'";
        return (long)query.ExecuteScalar()! > 0;
    }

    private static string? Marker(string db)
    {
        using var connection = Connect(db);
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT value FROM mesa_meta WHERE key = 'protocol'";
        return query.ExecuteScalar() as string;
    }

    private static string Snapshot(string db)
    {
        using var connection = Connect(db);
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT group_concat(name || ':' || sql, ';') FROM sqlite_master; ";
        var schema = query.ExecuteScalar() as string;
        query.CommandText = "SELECT group_concat(key || '=' || value) FROM mesa_meta";
        return schema + "|" + query.ExecuteScalar();
    }
}
