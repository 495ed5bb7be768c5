namespace Mesa.Client;

/// <summary>A deliberation with its transcript (turns by index) and its commitments (oldest first).</summary>
public sealed record MesaDeliberationDetail : MesaDeliberation
{
    /// <summary>The turns, by index.</summary>
    public IReadOnlyList<MesaTurn> Turns { get; init; } = Array.Empty<MesaTurn>();

    /// <summary>The commitments, oldest first.</summary>
    public IReadOnlyList<MesaCommitmentSummary> Commitments { get; init; } = Array.Empty<MesaCommitmentSummary>();
}
