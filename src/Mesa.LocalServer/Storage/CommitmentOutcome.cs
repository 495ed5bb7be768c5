using Mesa.LocalServer.Policies;

namespace Mesa.LocalServer.Storage;

/// <summary>The result of <see cref="MesaStore.SubmitCommitmentAsync"/>.</summary>
internal sealed record CommitmentOutcome(CommitmentOutcomeKind Kind, string? CommitmentId, string? Status, PolicyDecision? Decision, string? DeliberationStatus);
