using Microsoft.Data.Sqlite;

namespace Mesa.LocalServer.Storage;

/// <summary>The <c>deliberation</c> and <c>turn</c> tables, and a deliberation's detail (its turns and commitments).</summary>
internal sealed class DeliberationStore
{
    private const string Columns = "id, title, counterparty_slug, stage, status, created_at";

    private readonly StoreConnection _store;
    private readonly SqliteCommand _selectStatus;
    private readonly SqliteCommand _nextTurnIndex;
    private readonly SqliteCommand _insertTurn;

    public DeliberationStore(StoreConnection store)
    {
        _store = store;
        _selectStatus = store.Prepare("SELECT status FROM deliberation WHERE id = $id", "$id");
        _nextTurnIndex = store.Prepare("SELECT COALESCE(MAX(turn_index), -1) + 1 FROM turn WHERE deliberation_id = $id", "$id");
        _insertTurn = store.Prepare(
            "INSERT INTO turn (id, deliberation_id, speaker_id, content, turn_index, signature, envelope_id, envelope_timestamp, parent_id, created_at) " +
            "VALUES ($id, $deliberation, $speaker, $content, $index, $signature, $envelope, $timestamp, $parent, $created)",
            "$id", "$deliberation", "$speaker", "$content", "$index", "$signature", "$envelope", "$timestamp", "$parent", "$created");
    }

    public DeliberationRecord Create(string title, string? counterpartySlug, string stage)
    {
        var record = new DeliberationRecord(StoreConnection.NewId(), title, counterpartySlug, stage, "open", StoreConnection.Now());
        lock (_store.Gate)
        {
            _store.Execute(
                "INSERT INTO deliberation (id, title, counterparty_slug, stage, status, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                record.Id, record.Title, record.CounterpartySlug, record.Stage, record.Status, record.CreatedAt);
        }

        return record;
    }

    public IReadOnlyList<DeliberationRecord> List(string? status) =>
        status is null
            ? _store.Query($"SELECT {Columns} FROM deliberation ORDER BY seq", Read)
            : _store.Query($"SELECT {Columns} FROM deliberation WHERE status = $1 ORDER BY seq", Read, status);

    public DeliberationDetail? Get(string id)
    {
        lock (_store.Gate)
        {
            var deliberation = _store.Query($"SELECT {Columns} FROM deliberation WHERE id = $1", Read, id).FirstOrDefault();
            if (deliberation is null) return null;
            var turns = _store.Query(
                "SELECT id, deliberation_id, speaker_id, content, turn_index, created_at FROM turn WHERE deliberation_id = $1 ORDER BY turn_index",
                r => new TurnRecord(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt64(4), r.GetString(5)), id);
            var commitments = _store.Query(
                "SELECT id, type, principal_id, status, payload, created_at FROM commitment WHERE deliberation_id = $1 ORDER BY seq",
                r => new CommitmentEntry(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5)), id);
            return new DeliberationDetail(deliberation, turns, commitments);
        }
    }

    public DeliberationRecord? Update(string id, string? status, string? stage)
    {
        lock (_store.Gate)
        {
            if (status is not null) _store.Execute("UPDATE deliberation SET status = $1 WHERE id = $2", status, id);
            if (stage is not null) _store.Execute("UPDATE deliberation SET stage = $1 WHERE id = $2", stage, id);
            return _store.Query($"SELECT {Columns} FROM deliberation WHERE id = $1", Read, id).FirstOrDefault();
        }
    }

    /// <summary>The status of deliberation <paramref name="id"/>, or null when there is none. Callers hold the lock.</summary>
    public string? StatusOf(string? id)
    {
        _selectStatus.Parameters[0].Value = id;
        return _selectStatus.ExecuteScalar() as string;
    }

    /// <summary>
    /// The deliberation checks of a turn and its write, inside the group commit's transaction (callers hold the lock):
    /// the index is the next one for the deliberation, read and used in that transaction, so concurrent turns never collide.
    /// </summary>
    public TurnOutcome ApplyTurn(TurnDraft draft)
    {
        var status = StatusOf(draft.DeliberationId);
        if (status is null) return new TurnOutcome(TurnOutcomeKind.NotFound, null, null);
        if (draft.EnvelopeDeliberationId is not null && draft.EnvelopeDeliberationId != draft.DeliberationId)
        {
            return new TurnOutcome(TurnOutcomeKind.Mismatch, null, status);
        }

        if (status != "open") return new TurnOutcome(TurnOutcomeKind.Closed, null, status);

        _nextTurnIndex.Parameters[0].Value = draft.DeliberationId;
        var index = (long)_nextTurnIndex.ExecuteScalar()!;
        var turn = new TurnRecord(StoreConnection.NewId(), draft.DeliberationId, draft.SpeakerId, draft.Content, index, StoreConnection.Now());
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

    private static DeliberationRecord Read(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5));
}
