using Mesa.LocalServer.Policies;
using Microsoft.Data.Sqlite;

namespace Mesa.LocalServer.Storage;

/// <summary>
/// The <c>policy</c> table. The enabled policies, in evaluation order, are cached in memory for the policy gate; any
/// change here, or another process changing the file, drops the cache.
/// </summary>
internal sealed class PolicyStore
{
    private const string Columns = "id, name, scope_kind, scope_ref, predicate_name, params, action, route_to, enabled, hits30d, created_at";

    private readonly StoreConnection _store;
    private readonly SqliteCommand _selectEnabled;
    private readonly SqliteCommand _bumpHits;
    private List<ActivePolicy>? _enabled;

    public PolicyStore(StoreConnection store)
    {
        _store = store;
        _selectEnabled = store.Prepare($"SELECT {Columns} FROM policy WHERE enabled = 1 ORDER BY seq");
        _bumpHits = store.Prepare("UPDATE policy SET hits30d = hits30d + 1 WHERE id = $id", "$id");
        store.OnExternalChange(() => _enabled = null);
    }

    public IReadOnlyList<PolicyRecord> List() => _store.Query($"SELECT {Columns} FROM policy ORDER BY seq", Read);

    /// <exception cref="DuplicateKeyException">A policy with that id exists.</exception>
    public PolicyRecord Add(PolicyInput input)
    {
        var record = ToRecord(input, input.Id ?? StoreConnection.NewId());
        lock (_store.Gate)
        {
            try
            {
                Insert(record, "api");
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
            {
                throw new DuplicateKeyException($"a policy with id '{record.Id}' already exists");
            }

            _enabled = null;
        }

        return record;
    }

    public bool Delete(string id)
    {
        lock (_store.Gate)
        {
            _enabled = null;
            return _store.Execute("DELETE FROM policy WHERE id = $1", id) > 0;
        }
    }

    /// <summary>
    /// Makes the policies of a <c>--policies</c> file current: each is inserted or updated by id (keeping its hit count),
    /// and policies an earlier file loaded but this one no longer lists are removed. Policies added over HTTP stay.
    /// </summary>
    public void ReplaceFilePolicies(IReadOnlyList<PolicyInput> policies)
    {
        lock (_store.Gate)
        {
            _store.Begin();
            try
            {
                var keep = new HashSet<string>(StringComparer.Ordinal);
                foreach (var input in policies)
                {
                    var record = ToRecord(input, input.Id!);
                    keep.Add(record.Id);
                    var updated = _store.Execute(
                        "UPDATE policy SET name = $1, scope_kind = $2, scope_ref = $3, predicate_name = $4, params = $5, action = $6, route_to = $7, enabled = $8, origin = 'file' WHERE id = $9",
                        record.Name, record.ScopeKind, record.ScopeRef, record.PredicateName, record.ParamsJson, record.Action, record.RouteTo, record.Enabled ? 1 : 0, record.Id);
                    if (updated == 0) Insert(record, "file");
                }

                foreach (var stale in _store.Query("SELECT id FROM policy WHERE origin = 'file'", r => r.GetString(0)).Where(id => !keep.Contains(id)))
                {
                    _store.Execute("DELETE FROM policy WHERE id = $1", stale);
                }

                _store.Commit();
                _enabled = null;
            }
            catch
            {
                _store.Rollback();
                throw;
            }
        }
    }

    /// <summary>The enabled policies in evaluation order. Callers hold the lock.</summary>
    public List<ActivePolicy> Enabled()
    {
        if (_enabled is not null) return _enabled;
        using var reader = _selectEnabled.ExecuteReader();
        var list = new List<ActivePolicy>();
        while (reader.Read()) list.Add(ActivePolicy.From(Read(reader)));
        return _enabled = list;
    }

    /// <summary>Counts a hit for policy <paramref name="policyId"/>. Callers hold the lock.</summary>
    public void CountHit(string policyId)
    {
        _bumpHits.Parameters[0].Value = policyId;
        _bumpHits.ExecuteNonQuery();
    }

    private void Insert(PolicyRecord record, string origin) =>
        _store.Execute(
            "INSERT INTO policy (id, name, scope_kind, scope_ref, predicate_name, params, action, route_to, enabled, hits30d, origin, created_at) " +
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            record.Id, record.Name, record.ScopeKind, record.ScopeRef, record.PredicateName, record.ParamsJson, record.Action,
            record.RouteTo, record.Enabled ? 1 : 0, record.Hits30d, origin, record.CreatedAt);

    private static PolicyRecord ToRecord(PolicyInput input, string id) =>
        new(id, input.Name, input.ScopeKind, input.ScopeRef, input.PredicateName, input.ParamsJson, input.Action, input.RouteTo, input.Enabled, input.Hits30d, StoreConnection.Now());

    private static PolicyRecord Read(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.GetString(4), r.GetString(5),
            r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7), r.GetInt64(8) != 0, r.GetInt64(9), r.GetString(10));
}
