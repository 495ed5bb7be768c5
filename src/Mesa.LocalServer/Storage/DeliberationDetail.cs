namespace Mesa.LocalServer.Storage;

/// <summary>A deliberation with its turns (by index) and commitments (oldest first).</summary>
internal sealed record DeliberationDetail(DeliberationRecord Deliberation, IReadOnlyList<TurnRecord> Turns, IReadOnlyList<CommitmentEntry> Commitments);
