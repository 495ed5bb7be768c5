using System.Globalization;
using Mesa.Client;
using Mesa.LocalServer.Hosting;
using Microsoft.Data.Sqlite;

namespace Mesa.LocalServer.Storage;

/// <summary>
/// Opens the store's database: the file's checks (directory, SQLite, a mesa store, schema version, protocol
/// generation), its pragmas and its tables. An existing file is checked read-only first (<see cref="StoreProbe"/>), so
/// a refused one is not changed.
/// </summary>
/// <remarks>
/// Durability: the file runs in WAL mode with <c>synchronous=NORMAL</c>. A transaction is acknowledged only after
/// COMMIT has appended its frames to the WAL with write(2), so the data is in the operating system's page cache; a
/// killed or crashed server process loses no acknowledged write, and the next open replays the WAL. What NORMAL gives
/// up (against FULL) is the fsync per commit: an operating system crash or power cut may lose the last few
/// transactions, which a local test server can afford, and it is what makes thousands of commits per second possible.
/// Checkpoints (which do fsync) run on a background connection, see <see cref="WalCheckpointer"/>.
/// </remarks>
internal static class StoreFile
{
    /// <summary>Opens (creating when missing) the store at <paramref name="path"/>, or an in-memory one for <c>:memory:</c>.</summary>
    /// <exception cref="StartupException">The file cannot be opened or is not a mesa database.</exception>
    public static StoreConnection Open(string path, MesaProfile profile)
    {
        var inMemory = path == ServerOptions.InMemoryDatabase;
        var location = inMemory ? path : Path.GetFullPath(path);
        if (!inMemory)
        {
            var directory = Path.GetDirectoryName(location);
            if (directory is not null && !Directory.Exists(directory))
            {
                throw new StartupException($"--db: the directory '{directory}' does not exist; create it or give another path (or :memory:).");
            }
        }

        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = location,
            Mode = inMemory ? SqliteOpenMode.Memory : SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = false,
        }.ToString();

        // Refuse a file before the read-write connection below touches it.
        if (!inMemory) StoreProbe.Check(location, profile);

        var db = new SqliteConnection(connectionString);
        try
        {
            db.Open();
            Execute(db, "PRAGMA busy_timeout = 5000");
            if (!inMemory)
            {
                var mode = Scalar(db, "PRAGMA journal_mode = WAL") as string;
                if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                {
                    throw new StartupException($"--db: '{location}' cannot use SQLite's WAL mode (journal mode is {mode}); put the database on a local file system.");
                }

                // See the type remarks: NORMAL in WAL mode loses nothing acknowledged when the process is killed.
                Execute(db, "PRAGMA synchronous = NORMAL");
                Execute(db, "PRAGMA wal_autocheckpoint = 0");
                Execute(db, "PRAGMA journal_size_limit = 67108864");
            }

            Execute(db, "PRAGMA foreign_keys = ON");
            var recorded = Check(db, location, profile);
            Execute(db, StoreSchema.CreateTables);
            if (!recorded) StoreGeneration.Stamp(db, profile);
            Execute(db, $"PRAGMA user_version = {StoreSchema.Version}");
            return new StoreConnection(db, location, inMemory ? null : new WalCheckpointer(connectionString));
        }
        catch (SqliteException ex)
        {
            db.Dispose();
            throw CannotOpen(location, ex);
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The checks of an existing file that refuse it: a newer schema, another program's tables, the other protocol
    /// generation. They only read.
    /// </summary>
    /// <returns>Whether the file already records its generation.</returns>
    /// <exception cref="StartupException">The file is refused.</exception>
    public static bool Check(SqliteConnection db, string location, MesaProfile profile)
    {
        var version = Convert.ToInt32(Scalar(db, "PRAGMA user_version"), CultureInfo.InvariantCulture);
        if (version > StoreSchema.Version)
        {
            throw new StartupException($"--db: '{location}' was made by a newer Mesa.LocalServer (schema {version}, this one knows {StoreSchema.Version}); use a newer server or another file.");
        }

        if (version == 0 && HasForeignTables(db))
        {
            throw new StartupException($"--db: '{location}' is an SQLite database of something else; give a new file name for the mesa store.");
        }

        return StoreGeneration.Check(db, location, profile, version);
    }

    /// <summary>The start-up failure for an SQLite error on <paramref name="location"/>.</summary>
    public static StartupException CannotOpen(string location, SqliteException ex)
    {
        var reason = ex.SqliteErrorCode == 26 ? "it is not an SQLite database" : ex.Message;
        return new StartupException($"--db: cannot open '{location}': {reason}. Give a new or existing mesa database file, or :memory:.", ex);
    }

    /// <summary>Runs one statement on <paramref name="db"/> before the store exists.</summary>
    public static void Execute(SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>The first value of one statement on <paramref name="db"/>, before the store exists.</summary>
    public static object? Scalar(SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static bool HasForeignTables(SqliteConnection db)
    {
        using var command = db.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
        using var reader = command.ExecuteReader();
        var known = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "principal", "deliberation", "commitment", "turn", "policy", "mesa_meta" };
        while (reader.Read())
        {
            if (!known.Contains(reader.GetString(0))) return true;
        }

        return false;
    }
}
