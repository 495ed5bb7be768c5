using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Mesa.LocalServer.Storage;

/// <summary>
/// The <c>principal</c> table. Principals are cached in memory (every signed request looks its emitter up); the cache
/// is dropped when another process changed the file.
/// </summary>
internal sealed class PrincipalStore
{
    private const string Columns = "id, org, public_key, capabilities, created_at";

    private readonly StoreConnection _store;
    private readonly SqliteCommand _select;
    private readonly Dictionary<string, PrincipalRecord> _cache = new(StringComparer.Ordinal);

    public PrincipalStore(StoreConnection store)
    {
        _store = store;
        _select = store.Prepare($"SELECT {Columns} FROM principal WHERE id = $id", "$id");
        store.OnExternalChange(_cache.Clear);
    }

    public PrincipalRecord? Find(string id)
    {
        lock (_store.Gate)
        {
            _store.Refresh();
            if (_cache.TryGetValue(id, out var cached)) return cached;
            _select.Parameters[0].Value = id;
            using var reader = _select.ExecuteReader();
            if (!reader.Read()) return null;
            var principal = Read(reader);
            _cache[id] = principal;
            return principal;
        }
    }

    public IReadOnlyList<PrincipalRecord> List() =>
        _store.Query($"SELECT {Columns} FROM principal ORDER BY seq", Read);

    /// <exception cref="DuplicateKeyException">The public key is already registered.</exception>
    public PrincipalRecord Create(string org, string publicKey)
    {
        var record = new PrincipalRecord(StoreConnection.NewId(), org, publicKey, Array.Empty<string>(), StoreConnection.Now());
        lock (_store.Gate)
        {
            try
            {
                _store.Execute(
                    "INSERT INTO principal (id, org, public_key, capabilities, created_at) VALUES ($1, $2, $3, '[]', $4)",
                    record.Id, record.Org, record.PublicKey, record.CreatedAt);
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
            {
                throw new DuplicateKeyException("public_key already registered");
            }

            _cache[record.Id] = record;
        }

        return record;
    }

    public PrincipalRecord? SetCapabilities(string id, IReadOnlyList<string> capabilities)
    {
        lock (_store.Gate)
        {
            var changed = _store.Execute("UPDATE principal SET capabilities = $1 WHERE id = $2", JsonSerializer.Serialize(capabilities), id);
            if (changed == 0) return null;
            _select.Parameters[0].Value = id;
            using var reader = _select.ExecuteReader();
            reader.Read();
            var principal = Read(reader);
            _cache[id] = principal;
            return principal;
        }
    }

    private static PrincipalRecord Read(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), JsonSerializer.Deserialize<string[]>(r.GetString(3)) ?? Array.Empty<string>(), r.GetString(4));
}
