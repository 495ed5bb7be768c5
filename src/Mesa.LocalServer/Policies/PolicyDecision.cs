namespace Mesa.LocalServer.Policies;

/// <summary>The outcome of the policy gate: the strongest action that fired and every policy that fired, in evaluation order.</summary>
internal sealed record PolicyDecision(string Action, IReadOnlyList<AppliedPolicy> Applied)
{
    /// <summary>The decision when nothing fired.</summary>
    public static PolicyDecision AllowNothingFired { get; } = new(PolicyActions.Allow, Array.Empty<AppliedPolicy>());

    /// <summary>The first policy that blocked, when the decision is a block.</summary>
    public AppliedPolicy? FirstBlock => Applied.FirstOrDefault(a => a.Action == PolicyActions.Block);
}
