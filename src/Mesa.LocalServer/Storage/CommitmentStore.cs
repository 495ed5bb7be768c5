using Mesa.LocalServer.Policies;
using Microsoft.Data.Sqlite;

namespace Mesa.LocalServer.Storage;

/// <summary>
/// The <c>commitment</c> table's write: gates 7 and 8 of <c>POST /commitments</c> (the deliberation, the policy gate)
/// and the insert, inside the group commit's transaction. A deliberation's commitments are read with its detail
/// (<see cref="DeliberationStore.Get"/>).
/// </summary>
internal sealed class CommitmentStore
{
    private readonly DeliberationStore _deliberations;
    private readonly PolicyStore _policies;
    private readonly StoreConnection _store;
    private readonly SqliteCommand _insert;

    public CommitmentStore(StoreConnection store, DeliberationStore deliberations, PolicyStore policies)
    {
        _store = store;
        _deliberations = deliberations;
        _policies = policies;
        _insert = store.Prepare(
            "INSERT INTO commitment (id, type, principal_id, deliberation_id, payload, signature, status, envelope_id, envelope_timestamp, parent_id, created_at) " +
            "VALUES ($id, $type, $principal, $deliberation, $payload, $signature, $status, $envelope, $timestamp, $parent, $created)",
            "$id", "$type", "$principal", "$deliberation", "$payload", "$signature", "$status", "$envelope", "$timestamp", "$parent", "$created");
    }

    /// <summary>
    /// The deliberation (when required) must exist and be open; the policies in scope are evaluated and every one that
    /// fires gets a hit (kept even when the request ends blocked); a block stores nothing else. Callers hold the lock,
    /// inside a transaction.
    /// </summary>
    public CommitmentOutcome Apply(CommitmentDraft draft, bool requireDeliberation)
    {
        if (requireDeliberation)
        {
            var status = _deliberations.StatusOf(draft.DeliberationId);
            if (status is null) return new CommitmentOutcome(CommitmentOutcomeKind.UnknownDeliberation, null, null, null, null);
            if (status != "open") return new CommitmentOutcome(CommitmentOutcomeKind.DeliberationClosed, null, null, null, status);
        }

        var decision = PolicyEvaluator.Evaluate(_policies.Enabled(), draft.PrincipalId, draft.Payload);
        foreach (var applied in decision.Applied)
        {
            _policies.CountHit(applied.PolicyId);
        }

        if (decision.Action == PolicyActions.Block)
        {
            return new CommitmentOutcome(CommitmentOutcomeKind.Blocked, null, null, decision, null);
        }

        var id = StoreConnection.NewId();
        var commitmentStatus = CommitmentStatusRule.StatusFor(decision);
        // A large payload goes through a statement of its own, finalized at once: the cached one would keep the bound
        // text (a managed string and SQLite's copy of it) alive until the next insert.
        var large = draft.PayloadJson.Length >= StoreConnection.LargeValueChars;
        using var oneOff = large ? _store.CloneCommand(_insert) : null;
        var insert = oneOff ?? _insert;
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
        p[10].Value = StoreConnection.Now();
        insert.ExecuteNonQuery();
        return new CommitmentOutcome(CommitmentOutcomeKind.Stored, id, commitmentStatus, decision, null);
    }
}
