using System.Text.Json;

namespace Mesa.LocalServer.Policies;

/// <summary>
/// Runs the policy gate over the policies in scope (enabled, and <c>global</c> or <c>agent</c> for the emitter, in
/// evaluation order): every policy whose predicate fires is applied; the decision is the strongest action applied.
/// </summary>
internal static class PolicyEvaluator
{
    public static PolicyDecision Evaluate(IReadOnlyList<PolicyRecord> policiesInScope, JsonElement payload)
    {
        List<AppliedPolicy>? applied = null;
        var strongest = PolicyActions.Allow;
        foreach (var policy in policiesInScope)
        {
            using var parameters = JsonDocument.Parse(policy.ParamsJson);
            if (!PolicyPredicates.Fires(policy.PredicateName, parameters.RootElement, payload)) continue;
            (applied ??= new List<AppliedPolicy>()).Add(new AppliedPolicy(policy.Id, policy.Name, policy.Action, policy.RouteTo));
            if (PolicyActions.Strength(policy.Action) > PolicyActions.Strength(strongest))
            {
                strongest = policy.Action;
            }
        }

        return applied is null ? PolicyDecision.AllowNothingFired : new PolicyDecision(strongest, applied);
    }
}
