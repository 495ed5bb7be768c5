using System.Globalization;
using System.Text.Json;
using Mesa.Client;
using Mesa.LocalServer.Hosting;
using Mesa.LocalServer.Policies;
using Microsoft.Data.Sqlite;

namespace Mesa.LocalServer.Storage;

/// <summary>
/// The server's SQLite store. One connection, used under one lock: every write is a short transaction, so turn
/// indexes and hit counts are assigned without races, and readers never see half a request. Principals and the
/// enabled policies are cached in memory; <c>PRAGMA data_version</c> tells when another process changed the file, and
/// the caches are dropped then.
/// </summary>
/// <remarks>
/// Durability: the file runs in WAL mode with <c>synchronous=NORMAL</c>. A transaction is acknowledged only after
/// COMMIT has appended its frames to the WAL with write(2), so the data is in the operating system's page cache; a
/// killed or crashed server process loses no acknowledged write, and the next open replays the WAL. What NORMAL gives
/// up (against FULL) is the fsync per commit: an operating system crash or power cut may lose the last few
/// transactions, which a local test server can afford, and it is what makes thousands of commits per second possible.
/// Checkpoints (which do fsync) run on a background connection, see <see cref="WalCheckpointer"/>.
/// </remarks>
internal sealed class MesaStore : IDisposable
{
    private const string PolicyColumns = "id, name, scope_kind, scope_ref, predicate_name, params, action, route_to, enabled, hits30d, created_at";
    private const string PrincipalColumns = "id, org, public_key, capabilities, created_at";
    private const string DeliberationColumns = "id, title, counterparty_slug, stage, status, created_at";

    private readonly object _gate = new();
    private readonly SqliteConnection _db;
    private readonly SqliteCommand _begin;
    private readonly SqliteCommand _commit;
    private readonly SqliteCommand _rollback;
    private readonly SqliteCommand _selectPrincipal;
    private readonly SqliteCommand _selectDeliberationStatus;
    private readonly SqliteCommand _selectEnabledPolicies;
    private readonly SqliteCommand _bumpHits;
    private readonly SqliteCommand _insertCommitment;
    private readonly SqliteCommand _nextTurnIndex;
    private readonly SqliteCommand _insertTurn;
    private readonly SqliteCommand _dataVersion;
    private readonly Dictionary<string, PrincipalRecord> _principals = new(StringComparer.Ordinal);
    private readonly WalCheckpointer? _checkpointer;
    private readonly GroupCommitWriter _writer;
    private readonly SqliteCommand _savepoint;
    private readonly SqliteCommand _release;
    private readonly SqliteCommand _rollbackToSavepoint;
    private List<ActivePolicy>? _enabledPolicies;
    private long _seenDataVersion = -1;
    private bool _disposed;

    private MesaStore(SqliteConnection db, string location, WalCheckpointer? checkpointer)
    {
        _db = db;
        Location = location;
        _checkpointer = checkpointer;
        _dataVersion = Prepare("PRAGMA data_version");
        _savepoint = Prepare("SAVEPOINT item");
        _release = Prepare("RELEASE item");
        _rollbackToSavepoint = Prepare("ROLLBACK TO item");
        _writer = new GroupCommitWriter(CommitBatch);
        _begin = Prepare("BEGIN IMMEDIATE");
        _commit = Prepare("COMMIT");
        _rollback = Prepare("ROLLBACK");
        _selectPrincipal = Prepare($"SELECT {PrincipalColumns} FROM principal WHERE id = $id", "$id");
        _selectDeliberationStatus = Prepare("SELECT status FROM deliberation WHERE id = $id", "$id");
        _selectEnabledPolicies = Prepare($"SELECT {PolicyColumns} FROM policy WHERE enabled = 1 ORDER BY seq");
        _bumpHits = Prepare("UPDATE policy SET hits30d = hits30d + 1 WHERE id = $id", "$id");
        _insertCommitment = Prepare(
            "INSERT INTO commitment (id, type, principal_id, deliberation_id, payload, signature, status, envelope_id, envelope_timestamp, parent_id, created_at) " +
            "VALUES ($id, $type, $principal, $deliberation, $payload, $signature, $status, $envelope, $timestamp, $parent, $created)",
            "$id", "$type", "$principal", "$deliberation", "$payload", "$signature", "$status", "$envelope", "$timestamp", "$parent", "$created");
        _nextTurnIndex = Prepare("SELECT COALESCE(MAX(turn_index), -1) + 1 FROM turn WHERE deliberation_id = $id", "$id");
        _insertTurn = Prepare(
            "INSERT INTO turn (id, deliberation_id, speaker_id, content, turn_index, signature, envelope_id, envelope_timestamp, parent_id, created_at) " +
            "VALUES ($id, $deliberation, $speaker, $content, $index, $signature, $envelope, $timestamp, $parent, $created)",
            "$id", "$deliberation", "$speaker", "$content", "$index", "$signature", "$envelope", "$timestamp", "$parent", "$created");
    }

    /// <summary>Where the data lives: a full file path, or <c>:memory:</c>.</summary>
    public string Location { get; }

    /// <summary>Opens (creating when missing) the store at <paramref name="path"/>, or an in-memory one for <c>:memory:</c>.</summary>
    /// <exception cref="StartupException">The file cannot be opened or is not a mesa database.</exception>
    public static MesaStore Open(string path, MesaProfile profile = MesaProfile.V2)
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
            var version = Convert.ToInt32(Scalar(db, "PRAGMA user_version"), CultureInfo.InvariantCulture);
            if (version > StoreSchema.Version)
            {
                throw new StartupException($"--db: '{location}' was made by a newer Mesa.LocalServer (schema {version}, this one knows {StoreSchema.Version}); use a newer server or another file.");
            }

            if (version == 0 && HasForeignTables(db))
            {
                throw new StartupException($"--db: '{location}' is an SQLite database of something else; give a new file name for the mesa store.");
            }

            var recorded = CheckGeneration(db, location, profile, version);
            Execute(db, StoreSchema.CreateTables);
            if (!recorded) StampGeneration(db, profile);
            Execute(db, $"PRAGMA user_version = {StoreSchema.Version}");
            return new MesaStore(db, location, inMemory ? null : new WalCheckpointer(connectionString));
        }
        catch (SqliteException ex)
        {
            db.Dispose();
            var reason = ex.SqliteErrorCode == 26 ? "it is not an SQLite database" : ex.Message;
            throw new StartupException($"--db: cannot open '{location}': {reason}. Give a new or existing mesa database file, or :memory:.", ex);
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    // ---- principals ----

    public PrincipalRecord? FindPrincipal(string id)
    {
        lock (_gate)
        {
            Refresh();
            if (_principals.TryGetValue(id, out var cached)) return cached;
            _selectPrincipal.Parameters[0].Value = id;
            using var reader = _selectPrincipal.ExecuteReader();
            if (!reader.Read()) return null;
            var principal = ReadPrincipal(reader);
            _principals[id] = principal;
            return principal;
        }
    }

    public IReadOnlyList<PrincipalRecord> ListPrincipals() =>
        Query($"SELECT {PrincipalColumns} FROM principal ORDER BY seq", ReadPrincipal);

    /// <exception cref="DuplicateKeyException">The public key is already registered.</exception>
    public PrincipalRecord CreatePrincipal(string org, string publicKey)
    {
        var record = new PrincipalRecord(NewId(), org, publicKey, Array.Empty<string>(), Now());
        lock (_gate)
        {
            try
            {
                Execute(
                    "INSERT INTO principal (id, org, public_key, capabilities, created_at) VALUES ($1, $2, $3, '[]', $4)",
                    record.Id, record.Org, record.PublicKey, record.CreatedAt);
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
            {
                throw new DuplicateKeyException("public_key already registered");
            }

            _principals[record.Id] = record;
        }

        return record;
    }

    public PrincipalRecord? SetCapabilities(string id, IReadOnlyList<string> capabilities)
    {
        lock (_gate)
        {
            var changed = Execute("UPDATE principal SET capabilities = $1 WHERE id = $2", JsonSerializer.Serialize(capabilities), id);
            if (changed == 0) return null;
            _selectPrincipal.Parameters[0].Value = id;
            using var reader = _selectPrincipal.ExecuteReader();
            reader.Read();
            var principal = ReadPrincipal(reader);
            _principals[id] = principal;
            return principal;
        }
    }

    // ---- deliberations and turns ----

    public DeliberationRecord CreateDeliberation(string title, string? counterpartySlug, string stage)
    {
        var record = new DeliberationRecord(NewId(), title, counterpartySlug, stage, "open", Now());
        lock (_gate)
        {
            Execute(
                "INSERT INTO deliberation (id, title, counterparty_slug, stage, status, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                record.Id, record.Title, record.CounterpartySlug, record.Stage, record.Status, record.CreatedAt);
        }

        return record;
    }

    public IReadOnlyList<DeliberationRecord> ListDeliberations(string? status) =>
        status is null
            ? Query($"SELECT {DeliberationColumns} FROM deliberation ORDER BY seq", ReadDeliberation)
            : Query($"SELECT {DeliberationColumns} FROM deliberation WHERE status = $1 ORDER BY seq", ReadDeliberation, status);

    public DeliberationDetail? GetDeliberation(string id)
    {
        lock (_gate)
        {
            var deliberation = Query($"SELECT {DeliberationColumns} FROM deliberation WHERE id = $1", ReadDeliberation, id).FirstOrDefault();
            if (deliberation is null) return null;
            var turns = Query(
                "SELECT id, deliberation_id, speaker_id, content, turn_index, created_at FROM turn WHERE deliberation_id = $1 ORDER BY turn_index",
                r => new TurnRecord(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt64(4), r.GetString(5)), id);
            var commitments = Query(
                "SELECT id, type, principal_id, status, payload, created_at FROM commitment WHERE deliberation_id = $1 ORDER BY seq",
                r => new CommitmentEntry(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5)), id);
            return new DeliberationDetail(deliberation, turns, commitments);
        }
    }

    public DeliberationRecord? UpdateDeliberation(string id, string? status, string? stage)
    {
        lock (_gate)
        {
            if (status is not null) Execute("UPDATE deliberation SET status = $1 WHERE id = $2", status, id);
            if (stage is not null) Execute("UPDATE deliberation SET stage = $1 WHERE id = $2", stage, id);
            return Query($"SELECT {DeliberationColumns} FROM deliberation WHERE id = $1", ReadDeliberation, id).FirstOrDefault();
        }
    }

    /// <summary>
    /// Gates 7 and 8 of <c>POST /commitments</c> and the write, in one transaction (shared with other writes by group
    /// commit): the deliberation (when required) must exist and be open; the policies in scope are evaluated and every
    /// one that fires gets a hit (kept even when the request ends blocked); a block stores nothing else.
    /// </summary>
    public Task<CommitmentOutcome> SubmitCommitmentAsync(CommitmentDraft draft, bool requireDeliberation) =>
        _writer.EnqueueAsync(() => ApplyCommitment(draft, requireDeliberation));

    /// <summary>
    /// The deliberation checks of <c>POST /deliberations/{id}/turns</c> and the write. The index is the next one for the
    /// deliberation, read and used inside the writer's transaction, so concurrent turns never collide.
    /// </summary>
    public Task<TurnOutcome> AppendTurnAsync(TurnDraft draft) => _writer.EnqueueAsync(() => ApplyTurn(draft));

    // One transaction for the whole batch; a savepoint per write, so a write that fails leaves no trace and the others
    // still commit. The answers go out after COMMIT.
    private void CommitBatch(IReadOnlyList<StoreWrite> batch)
    {
        lock (_gate)
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

    private CommitmentOutcome ApplyCommitment(CommitmentDraft draft, bool requireDeliberation)
    {
        if (requireDeliberation)
        {
            _selectDeliberationStatus.Parameters[0].Value = draft.DeliberationId;
            var status = _selectDeliberationStatus.ExecuteScalar() as string;
            if (status is null) return new CommitmentOutcome(CommitmentOutcomeKind.UnknownDeliberation, null, null, null, null);
            if (status != "open") return new CommitmentOutcome(CommitmentOutcomeKind.DeliberationClosed, null, null, null, status);
        }

        var decision = PolicyEvaluator.Evaluate(EnabledPolicies(), draft.PrincipalId, draft.Payload);
        foreach (var applied in decision.Applied)
        {
            _bumpHits.Parameters[0].Value = applied.PolicyId;
            _bumpHits.ExecuteNonQuery();
        }

        if (decision.Action == PolicyActions.Block)
        {
            return new CommitmentOutcome(CommitmentOutcomeKind.Blocked, null, null, decision, null);
        }

        var id = NewId();
        var commitmentStatus = decision.Action is PolicyActions.Flag or PolicyActions.Route ? "flagged" : "active";
        // A large payload goes through a statement of its own, finalized at once: the cached one would keep the bound
        // text (a managed string and SQLite's copy of it) alive until the next insert.
        var large = draft.PayloadJson.Length >= LargeValueChars;
        using var oneOff = large ? CloneCommand(_insertCommitment) : null;
        var insert = oneOff ?? _insertCommitment;
        var p = insert.Parameters;
        p[0].Value = id;
        p[1].Value = draft.Type;
        p[2].Value = draft.PrincipalId;
        p[3].Value = (object?)draft.DeliberationId ?? DBNull.Value;
        p[4].Value = draft.PayloadJson;
        p[5].Value = draft.Signature;
        p[6].Value = commitmentStatus;
        p[7].Value = draft.EnvelopeId;
        p[8].Value = draft.EnvelopeTimestamp;
        p[9].Value = (object?)draft.ParentId ?? DBNull.Value;
        p[10].Value = Now();
        insert.ExecuteNonQuery();
        return new CommitmentOutcome(CommitmentOutcomeKind.Stored, id, commitmentStatus, decision, null);
    }

    private TurnOutcome ApplyTurn(TurnDraft draft)
    {
        _selectDeliberationStatus.Parameters[0].Value = draft.DeliberationId;
        var status = _selectDeliberationStatus.ExecuteScalar() as string;
        if (status is null) return new TurnOutcome(TurnOutcomeKind.NotFound, null, null);
        if (draft.EnvelopeDeliberationId is not null && draft.EnvelopeDeliberationId != draft.DeliberationId)
        {
            return new TurnOutcome(TurnOutcomeKind.Mismatch, null, status);
        }

        if (status != "open") return new TurnOutcome(TurnOutcomeKind.Closed, null, status);

        _nextTurnIndex.Parameters[0].Value = draft.DeliberationId;
        var index = (long)_nextTurnIndex.ExecuteScalar()!;
        var turn = new TurnRecord(NewId(), draft.DeliberationId, draft.SpeakerId, draft.Content, index, Now());
        var p = _insertTurn.Parameters;
        p[0].Value = turn.Id;
        p[1].Value = turn.DeliberationId;
        p[2].Value = turn.SpeakerId;
        p[3].Value = turn.Content;
        p[4].Value = turn.Index;
        p[5].Value = draft.Signature;
        p[6].Value = draft.EnvelopeId;
        p[7].Value = draft.EnvelopeTimestamp;
        p[8].Value = (object?)draft.ParentId ?? DBNull.Value;
        p[9].Value = turn.CreatedAt;
        _insertTurn.ExecuteNonQuery();
        return new TurnOutcome(TurnOutcomeKind.Stored, turn, status);
    }

    // ---- policies ----

    public IReadOnlyList<PolicyRecord> ListPolicies() => Query($"SELECT {PolicyColumns} FROM policy ORDER BY seq", ReadPolicy);

    /// <exception cref="DuplicateKeyException">A policy with that id exists.</exception>
    public PolicyRecord AddPolicy(PolicyInput input)
    {
        var record = ToRecord(input, input.Id ?? NewId());
        lock (_gate)
        {
            try
            {
                InsertPolicy(record, "api");
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
            {
                throw new DuplicateKeyException($"a policy with id '{record.Id}' already exists");
            }

            _enabledPolicies = null;
        }

        return record;
    }

    public bool DeletePolicy(string id)
    {
        lock (_gate)
        {
            _enabledPolicies = null;
            return Execute("DELETE FROM policy WHERE id = $1", id) > 0;
        }
    }

    /// <summary>
    /// Makes the policies of a <c>--policies</c> file current: each is inserted or updated by id (keeping its hit count),
    /// and policies an earlier file loaded but this one no longer lists are removed. Policies added over HTTP stay.
    /// </summary>
    public void ReplaceFilePolicies(IReadOnlyList<PolicyInput> policies)
    {
        lock (_gate)
        {
            Begin();
            try
            {
                var keep = new HashSet<string>(StringComparer.Ordinal);
                foreach (var input in policies)
                {
                    var record = ToRecord(input, input.Id!);
                    keep.Add(record.Id);
                    var updated = Execute(
                        "UPDATE policy SET name = $1, scope_kind = $2, scope_ref = $3, predicate_name = $4, params = $5, action = $6, route_to = $7, enabled = $8, origin = 'file' WHERE id = $9",
                        record.Name, record.ScopeKind, record.ScopeRef, record.PredicateName, record.ParamsJson, record.Action, record.RouteTo, record.Enabled ? 1 : 0, record.Id);
                    if (updated == 0) InsertPolicy(record, "file");
                }

                foreach (var stale in Query("SELECT id FROM policy WHERE origin = 'file'", r => r.GetString(0)).Where(id => !keep.Contains(id)))
                {
                    Execute("DELETE FROM policy WHERE id = $1", stale);
                }

                Commit();
                _enabledPolicies = null;
            }
            catch
            {
                Rollback();
                throw;
            }
        }
    }

    public void Dispose()
    {
        // Let queued writes finish before the connection goes.
        _writer.Dispose();
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _checkpointer?.Dispose();
            foreach (var command in new[] { _begin, _commit, _rollback, _selectPrincipal, _selectDeliberationStatus, _selectEnabledPolicies, _bumpHits, _insertCommitment, _nextTurnIndex, _insertTurn, _dataVersion, _savepoint, _release, _rollbackToSavepoint })
            {
                command.Dispose();
            }

            _db.Dispose();
        }
    }

    // ---- helpers (callers hold the lock) ----

    // Drops the caches when another connection (another server process on the same file) has committed.
    private void Refresh()
    {
        var version = (long)_dataVersion.ExecuteScalar()!;
        if (version == _seenDataVersion) return;
        _seenDataVersion = version;
        _principals.Clear();
        _enabledPolicies = null;
    }

    private List<ActivePolicy> EnabledPolicies()
    {
        if (_enabledPolicies is not null) return _enabledPolicies;
        using var reader = _selectEnabledPolicies.ExecuteReader();
        var list = new List<ActivePolicy>();
        while (reader.Read()) list.Add(ActivePolicy.From(ReadPolicy(reader)));
        return _enabledPolicies = list;
    }

    private void InsertPolicy(PolicyRecord record, string origin) =>
        Execute(
            "INSERT INTO policy (id, name, scope_kind, scope_ref, predicate_name, params, action, route_to, enabled, hits30d, origin, created_at) " +
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            record.Id, record.Name, record.ScopeKind, record.ScopeRef, record.PredicateName, record.ParamsJson, record.Action,
            record.RouteTo, record.Enabled ? 1 : 0, record.Hits30d, origin, record.CreatedAt);

    private static PolicyRecord ToRecord(PolicyInput input, string id) =>
        new(id, input.Name, input.ScopeKind, input.ScopeRef, input.PredicateName, input.ParamsJson, input.Action, input.RouteTo, input.Enabled, input.Hits30d, Now());

    private void Begin() => _begin.ExecuteNonQuery();

    private void Commit() => _commit.ExecuteNonQuery();

    private void Rollback()
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

    // Values this long (in UTF-16 units) are bound on a one-off statement.
    private const int LargeValueChars = 1024 * 1024;

    private SqliteCommand CloneCommand(SqliteCommand cached)
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

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = _db.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter(name, null));
        }

        return command;
    }

    private int Execute(string sql, params object?[] args)
    {
        using var command = Command(sql, args);
        return command.ExecuteNonQuery();
    }

    private List<T> Query<T>(string sql, Func<SqliteDataReader, T> read, params object?[] args)
    {
        lock (_gate)
        {
            using var command = Command(sql, args);
            using var reader = command.ExecuteReader();
            var list = new List<T>();
            while (reader.Read()) list.Add(read(reader));
            return list;
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

    private static PrincipalRecord ReadPrincipal(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), JsonSerializer.Deserialize<string[]>(r.GetString(3)) ?? Array.Empty<string>(), r.GetString(4));

    private static DeliberationRecord ReadDeliberation(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5));

    private static PolicyRecord ReadPolicy(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.GetString(4), r.GetString(5),
            r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7), r.GetInt64(8) != 0, r.GetInt64(9), r.GetString(10));

    private static string NewId() => Guid.NewGuid().ToString("N");

    // SQLite's CURRENT_TIMESTAMP shape as the upstream server returns it: UTC, seconds, no zone.
    private static string Now() => DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    private static void Execute(SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    // The file records the protocol generation it holds (mesa_meta 'protocol'). A file made before the marker gets the
    // generation its rows show: deliberations, turns or commitments in a deliberation are v2, commitments outside one
    // are v1; a file that shows neither takes this server's. A file of the other generation is refused, not converted:
    // its signatures were made over the other generation's canonical fields.
    // Returns whether the file already records its generation; checked before anything is written.
    private static bool CheckGeneration(SqliteConnection db, string location, MesaProfile profile, int version)
    {
        if (version == 0) return false; // a new file
        var hasMeta = Scalar(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'mesa_meta'") is not null;
        var recorded = hasMeta ? Scalar(db, "SELECT value FROM mesa_meta WHERE key = 'protocol'") as string : null;
        var generation = recorded ?? InferGeneration(db);
        if (generation is not null && generation != StoreSchema.ProfileName(profile))
        {
            var how = recorded is null ? "its data was made" : "it was made";
            throw new StartupException(
                $"--db: '{location}' holds protocol {generation} data ({how} by a --protocol {generation} server) and this server runs --protocol " +
                $"{StoreSchema.ProfileName(profile)}. Start the server with --protocol {generation}, or give another --db file.");
        }

        return recorded is not null;
    }

    private static void StampGeneration(SqliteConnection db, MesaProfile profile)
    {
        using var insert = db.CreateCommand();
        insert.CommandText = "INSERT OR REPLACE INTO mesa_meta (key, value) VALUES ('protocol', $value)";
        insert.Parameters.AddWithValue("$value", StoreSchema.ProfileName(profile));
        insert.ExecuteNonQuery();
    }

    private static string? InferGeneration(SqliteConnection db)
    {
        var v2 = Convert.ToInt64(Scalar(db,
            "SELECT EXISTS (SELECT 1 FROM deliberation) OR EXISTS (SELECT 1 FROM turn) OR EXISTS (SELECT 1 FROM commitment WHERE deliberation_id IS NOT NULL)"),
            CultureInfo.InvariantCulture) != 0;
        var v1 = Convert.ToInt64(Scalar(db, "SELECT EXISTS (SELECT 1 FROM commitment WHERE deliberation_id IS NULL)"), CultureInfo.InvariantCulture) != 0;
        return v2 == v1 ? null : v2 ? "v2" : "v1";
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
