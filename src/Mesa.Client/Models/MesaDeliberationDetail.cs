using System.Collections.ObjectModel;

namespace Mesa.Client;

/// <summary>A deliberation with its transcript (turns by index) and its commitments (oldest first).</summary>
public sealed record MesaDeliberationDetail : MesaDeliberation
{
    /// <summary>The turns, by index.</summary>
    public IReadOnlyList<MesaTurn> Turns { get; init => field = ReadOnlyLists.Of(value); } = ReadOnlyCollection<MesaTurn>.Empty;

    /// <summary>The commitments, oldest first.</summary>
    public IReadOnlyList<MesaCommitmentSummary> Commitments { get; init => field = ReadOnlyLists.Of(value); } = ReadOnlyCollection<MesaCommitmentSummary>.Empty;
}
