using System.Text.Json;

namespace Mesa.LocalServer.Policies;

/// <summary>
/// Runs the policy gate over the enabled policies (in evaluation order): those in scope for the emitter (<c>global</c>,
/// or <c>agent</c> for its id; <c>counterparty</c> never matches) are evaluated, every one whose predicate fires is
/// applied, and the decision is the strongest action applied.
/// </summary>
internal static class PolicyEvaluator
{
    public static PolicyDecision Evaluate(IReadOnlyList<ActivePolicy> enabledPolicies, string principalId, JsonElement payload)
    {
        List<AppliedPolicy>? applied = null;
        var strongest = PolicyActions.Allow;
        foreach (var policy in enabledPolicies)
        {
            if (!policy.AppliesTo(principalId)) continue;
            var record = policy.Record;
            if (!PolicyPredicates.Fires(record.PredicateName, policy.Parameters, payload)) continue;
            (applied ??= new List<AppliedPolicy>()).Add(new AppliedPolicy(record.Id, record.Name, record.Action, record.RouteTo));
            if (PolicyActions.Strength(record.Action) > PolicyActions.Strength(strongest))
            {
                strongest = record.Action;
            }
        }

        return applied is null ? PolicyDecision.AllowNothingFired : new PolicyDecision(strongest, applied);
    }
}
