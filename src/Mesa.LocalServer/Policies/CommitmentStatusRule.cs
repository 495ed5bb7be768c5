namespace Mesa.LocalServer.Policies;

/// <summary>
/// The status a stored commitment takes from the policy gate's decision: a flag or a route means <c>flagged</c> (it
/// landed, and someone should look at it; a route names who), anything else <c>active</c>. A block stores no
/// commitment, so it has no status.
/// </summary>
internal static class CommitmentStatusRule
{
    /// <summary>The status of a commitment no flag or route fired for.</summary>
    public const string Active = "active";

    /// <summary>The status of a commitment a flag or route fired for.</summary>
    public const string Flagged = "flagged";

    /// <summary>The status of a commitment stored under <paramref name="decision"/>.</summary>
    /// <exception cref="ArgumentException">The decision is a block, which stores nothing.</exception>
    public static string StatusFor(PolicyDecision decision) => decision.Action switch
    {
        PolicyActions.Block => throw new ArgumentException("a blocked commitment is not stored, so it has no status", nameof(decision)),
        PolicyActions.Flag or PolicyActions.Route => Flagged,
        _ => Active,
    };
}
