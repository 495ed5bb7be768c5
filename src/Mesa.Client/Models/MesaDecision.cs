using System.Collections.ObjectModel;

namespace Mesa.Client;

/// <summary>The policy decision on a commitment: the strongest action that fired, and every policy that fired.</summary>
public sealed record MesaDecision
{
    /// <summary><c>allow</c>, <c>flag</c>, <c>route</c> or <c>block</c>.</summary>
    public string Action { get; init; } = "";

    /// <summary>The policies that fired, in evaluation order.</summary>
    public IReadOnlyList<MesaAppliedPolicy> Applied { get; init => field = ReadOnlyLists.Of(value); } = ReadOnlyCollection<MesaAppliedPolicy>.Empty;

    /// <summary>
    /// The action and the policies that fired, as text (what Format-List shows for a commitment's Decision):
    /// <c>flag; applied: flag-large-spend (flag)</c>, or <c>allow; applied: none</c>.
    /// </summary>
    public override string ToString() =>
        $"{Action}; applied: {(Applied.Count == 0 ? "none" : string.Join(", ", Applied))}";
}
