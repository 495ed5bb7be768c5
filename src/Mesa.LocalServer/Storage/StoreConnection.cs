using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Mesa.LocalServer.Storage;

/// <summary>
/// The store's one SQLite connection and the lock every use of it holds, shared by the aggregate stores
/// (<see cref="PrincipalStore"/>, <see cref="DeliberationStore"/>, <see cref="CommitmentStore"/>,
/// <see cref="PolicyStore"/>): transactions, the group-commit batch, statement helpers and the cache drop when another
/// process changed the file (<c>PRAGMA data_version</c>). Opened by <see cref="StoreFile.Open"/>.
/// </summary>
internal sealed class StoreConnection : IDisposable
{
    /// <summary>Values this long (in UTF-16 units) are bound on a one-off statement (see <see cref="CloneCommand"/>).</summary>
    public const int LargeValueChars = 1024 * 1024;

    private readonly SqliteConnection _db;
    private readonly WalCheckpointer? _checkpointer;
    private readonly List<SqliteCommand> _prepared = new();
    private readonly List<Action> _cacheDrops = new();
    private readonly SqliteCommand _dataVersion;
    private readonly SqliteCommand _savepoint;
    private readonly SqliteCommand _release;
    private readonly SqliteCommand _rollbackToSavepoint;
    private readonly SqliteCommand _begin;
    private readonly SqliteCommand _commit;
    private readonly SqliteCommand _rollback;
    private long _seenDataVersion = -1;
    private bool _disposed;

    public StoreConnection(SqliteConnection db, string location, WalCheckpointer? checkpointer)
    {
        _db = db;
        Location = location;
        _checkpointer = checkpointer;
        _dataVersion = Prepare("PRAGMA data_version");
        _savepoint = Prepare("SAVEPOINT item");
        _release = Prepare("RELEASE item");
        _rollbackToSavepoint = Prepare("ROLLBACK TO item");
        _begin = Prepare("BEGIN IMMEDIATE");
        _commit = Prepare("COMMIT");
        _rollback = Prepare("ROLLBACK");
    }

    /// <summary>Where the data lives: a full file path, or <c>:memory:</c>.</summary>
    public string Location { get; }

    /// <summary>The lock every statement runs under; one writer or reader at a time.</summary>
    public object Gate { get; } = new();

    /// <summary>Registers a cache to drop when another connection has committed to the file.</summary>
    public void OnExternalChange(Action dropCache) => _cacheDrops.Add(dropCache);

    /// <summary>Drops the caches when another connection (another server process on the same file) has committed. Callers hold the lock.</summary>
    public void Refresh()
    {
        var version = (long)_dataVersion.ExecuteScalar()!;
        if (version == _seenDataVersion) return;
        _seenDataVersion = version;
        foreach (var drop in _cacheDrops) drop();
    }

    /// <summary>
    /// The group commit's batch (see <see cref="GroupCommitWriter"/>): one transaction for the whole batch; a savepoint
    /// per write, so a write that fails leaves no trace and the others still commit. The answers go out after COMMIT.
    /// </summary>
    public void CommitBatch(IReadOnlyList<StoreWrite> batch)
    {
        lock (Gate)
        {
            Begin();
            try
            {
                Refresh();
                foreach (var write in batch)
                {
                    _savepoint.ExecuteNonQuery();
                    try
                    {
                        write.Apply();
                    }
                    catch
                    {
                        _rollbackToSavepoint.ExecuteNonQuery();
                    }

                    _release.ExecuteNonQuery();
                }

                Commit();
            }
            catch
            {
                Rollback();
                throw;
            }
        }

        foreach (var write in batch) write.Complete();
    }

    public void Begin() => _begin.ExecuteNonQuery();

    public void Commit() => _commit.ExecuteNonQuery();

    public void Rollback()
    {
        if (!_db.State.HasFlag(System.Data.ConnectionState.Open)) return;
        try
        {
            _rollback.ExecuteNonQuery();
        }
        catch (SqliteException)
        {
            // No transaction was active (BEGIN itself failed); nothing to undo.
        }
    }

    /// <summary>A cached statement with named parameters, disposed with the connection.</summary>
    public SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = _db.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter(name, null));
        }

        _prepared.Add(command);
        return command;
    }

    /// <summary>
    /// A one-off copy of a cached statement, for a large value: finalized when disposed, so SQLite's copy of the bound
    /// text does not live on until the cached statement's next use.
    /// </summary>
    public SqliteCommand CloneCommand(SqliteCommand cached)
    {
        var command = _db.CreateCommand();
        command.CommandText = cached.CommandText;
        command.Transaction = cached.Transaction;
        foreach (SqliteParameter parameter in cached.Parameters)
        {
            command.Parameters.Add(new SqliteParameter(parameter.ParameterName, null));
        }

        return command;
    }

    /// <summary>Runs <paramref name="sql"/> with positional parameters <c>$1</c>, <c>$2</c>, ...; callers hold the lock.</summary>
    public int Execute(string sql, params object?[] args)
    {
        using var command = Command(sql, args);
        return command.ExecuteNonQuery();
    }

    /// <summary>Reads the rows of <paramref name="sql"/> (positional parameters), under the lock.</summary>
    public List<T> Query<T>(string sql, Func<SqliteDataReader, T> read, params object?[] args)
    {
        lock (Gate)
        {
            using var command = Command(sql, args);
            using var reader = command.ExecuteReader();
            var list = new List<T>();
            while (reader.Read()) list.Add(read(reader));
            return list;
        }
    }

    public static string NewId() => Guid.NewGuid().ToString("N");

    // SQLite's CURRENT_TIMESTAMP shape as the upstream server returns it: UTC, seconds, no zone.
    public static string Now() => DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    public void Dispose()
    {
        lock (Gate)
        {
            if (_disposed) return;
            _disposed = true;
            _checkpointer?.Dispose();
            foreach (var command in _prepared)
            {
                command.Dispose();
            }

            _db.Dispose();
        }
    }

    private SqliteCommand Command(string sql, object?[] args)
    {
        var command = _db.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < args.Length; i++)
        {
            command.Parameters.AddWithValue("$" + (i + 1).ToString(CultureInfo.InvariantCulture), args[i] ?? DBNull.Value);
        }

        return command;
    }
}
