using Mesa.Client;
using Mesa.LocalServer.Hosting;
using Mesa.LocalServer.Storage;
using Mesa.LocalServer.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Mesa.LocalServer.Tests.EndToEnd;

/// <summary>
/// A refused start changes nothing: a database of the other protocol generation, another program's SQLite database,
/// a newer schema or a file that is not SQLite is left byte for byte as it was (journal mode included), and no
/// <c>-wal</c>/<c>-shm</c> file appears beside it.
/// </summary>
public sealed class RefusedDatabaseTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_v1_store_refused_by_a_v2_server_is_left_byte_for_byte()
    {
        var db = Path.Combine(_dir.Path, "v1.db");
        using (var made = await TestServer.StartAsync("--db", db, "--protocol", "v1", "--admin-token", InProcessServer.AdminToken))
        {
            using var client = made.CreateClient(InProcessServer.AdminToken, MesaProfile.V1);
            await client.CreatePrincipalAsync("org", MesaKeypair.Generate().PublicKeyHex);
            Assert.Equal(0, await made.TerminateAsync());
        }

        var before = FileState.Of(db);
        Assert.Equal("wal", before.JournalMode);
        Assert.Equal(new[] { "v1.db" }, before.Listing);

        var (code, stdout, stderr) = await TestServer.RunToExitAsync("--urls", "http://127.0.0.1:0", "--db", db, "--protocol", "v2");
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains("holds protocol v1 data", stderr.Split('\n')[0]);
        before.AssertUnchanged();

        Assert.Contains("holds protocol v1 data", Assert.Throws<StartupException>(() => MesaStore.Open(db, MesaProfile.V2)).Message);
        before.AssertUnchanged();
    }

    [Fact]
    public async Task The_wal_of_a_killed_v1_server_is_neither_checkpointed_nor_removed_by_a_refused_start()
    {
        var db = Path.Combine(_dir.Path, "killed.db");
        using (var made = await TestServer.StartAsync("--db", db, "--protocol", "v1", "--admin-token", InProcessServer.AdminToken))
        {
            using var client = made.CreateClient(InProcessServer.AdminToken, MesaProfile.V1);
            await client.CreatePrincipalAsync("org", MesaKeypair.Generate().PublicKeyHex);
            made.Kill();
        }

        var before = FileState.Of(db);
        Assert.Contains("killed.db-wal", before.Listing);

        Assert.Contains("holds protocol v1 data", Assert.Throws<StartupException>(() => MesaStore.Open(db, MesaProfile.V2)).Message);
        before.AssertUnchanged();

        // The right generation still opens it, with what the killed server acknowledged.
        using var store = MesaStore.Open(db, MesaProfile.V1);
        Assert.Single(store.ListPrincipals());
    }

    [Fact]
    public void Another_programs_sqlite_database_is_refused_and_left_as_it_was()
    {
        var db = Path.Combine(_dir.Path, "other.db");
        using (var connection = new SqliteConnection($"Data Source={db};Pooling=False"))
        {
            connection.Open();
            StoreFile.Execute(connection, "CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO things (name) VALUES ('a')");
        }

        var before = FileState.Of(db);
        Assert.Equal("delete", before.JournalMode);
        Assert.Contains("an SQLite database of something else", Assert.Throws<StartupException>(() => MesaStore.Open(db, MesaProfile.V2)).Message);
        before.AssertUnchanged();
    }

    [Fact]
    public void A_newer_schema_is_refused_and_left_as_it_was()
    {
        var db = Path.Combine(_dir.Path, "newer.db");
        using (var connection = new SqliteConnection($"Data Source={db};Pooling=False"))
        {
            connection.Open();
            StoreFile.Execute(connection, "CREATE TABLE principal (seq INTEGER PRIMARY KEY); PRAGMA user_version = 99");
        }

        var before = FileState.Of(db);
        Assert.Contains("made by a newer Mesa.LocalServer", Assert.Throws<StartupException>(() => MesaStore.Open(db, MesaProfile.V2)).Message);
        before.AssertUnchanged();
    }

    [Fact]
    public async Task A_file_that_is_not_sqlite_is_refused_and_left_as_it_was()
    {
        var db = _dir.Write("notes.db", "These are my notes, not a database. " + new string('x', 4000));
        var before = FileState.Of(db);

        var (code, _, stderr) = await TestServer.RunToExitAsync("--urls", "http://127.0.0.1:0", "--db", db);
        Assert.Equal(2, code);
        Assert.Contains("it is not an SQLite database", stderr);
        before.AssertUnchanged();
    }

    /// <summary>A database file's bytes, journal mode (from its header, without opening it) and its directory's listing.</summary>
    private sealed record FileState(string Path, byte[] Bytes, byte[]? Wal, string[] Listing)
    {
        public string JournalMode => Bytes.Length < 20 || !Bytes.AsSpan(0, 16).SequenceEqual("SQLite format 3\0"u8)
            ? "none"
            : Bytes[18] == 2 && Bytes[19] == 2 ? "wal" : "delete";

        public static FileState Of(string path)
        {
            var wal = path + "-wal";
            return new FileState(path, File.ReadAllBytes(path), File.Exists(wal) ? File.ReadAllBytes(wal) : null, List(path));
        }

        public void AssertUnchanged()
        {
            var now = Of(Path);
            Assert.Equal(Listing, now.Listing);
            Assert.Equal(JournalMode, now.JournalMode);
            Assert.True(Bytes.AsSpan().SequenceEqual(now.Bytes), $"{Path} changed ({Bytes.Length} -> {now.Bytes.Length} bytes)");
            Assert.True((Wal ?? []).AsSpan().SequenceEqual(now.Wal ?? []), "the -wal changed");
        }

        private static string[] List(string path) =>
            Directory.GetFiles(System.IO.Path.GetDirectoryName(path)!).Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
    }
}
