using Mesa.Client;
using Mesa.LocalServer.Hosting;
using Microsoft.Data.Sqlite;

namespace Mesa.LocalServer.Storage;

/// <summary>
/// Looks at an existing file before the store opens it for writing, so a file that is refused (not SQLite, another
/// program's database, a newer schema, the other protocol generation) is left byte for byte as it was, with no
/// side files: the read-write open switches the journal to WAL, and closing it checkpoints any WAL a killed server left.
/// </summary>
/// <remarks>
/// Without a <c>-wal</c> beside it, the main file is the whole database and is read as immutable (no locks, no
/// <c>-wal</c>/<c>-shm</c>, nothing written). A <c>-wal</c> left by a killed server holds committed transactions, so
/// the file is then read through it, read-only: SQLite neither checkpoints nor deletes it.
/// </remarks>
internal static class StoreProbe
{
    /// <summary>Refuses <paramref name="location"/> when it exists and cannot be this server's store.</summary>
    /// <exception cref="StartupException">The file is refused; it has not been changed.</exception>
    public static void Check(string location, MesaProfile profile)
    {
        var file = new FileInfo(location);
        if (!file.Exists || file.Length == 0) return; // a new store: SQLite takes an empty file as an empty database

        var dataSource = File.Exists(location + "-wal") ? location : new Uri(location).AbsoluteUri + "?immutable=1";
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = dataSource,
            Mode = SqliteOpenMode.ReadOnly,
            Cache = SqliteCacheMode.Private,
            Pooling = false,
        }.ToString();

        using var db = new SqliteConnection(connectionString);
        try
        {
            db.Open();
            StoreFile.Check(db, location, profile);
        }
        catch (SqliteException ex)
        {
            throw StoreFile.CannotOpen(location, ex);
        }
    }
}
