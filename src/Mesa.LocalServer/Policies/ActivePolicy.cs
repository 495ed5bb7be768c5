using System.Text.Json;

namespace Mesa.LocalServer.Policies;

/// <summary>An enabled policy ready for evaluation, its parameters parsed once.</summary>
internal sealed record ActivePolicy(PolicyRecord Record, JsonElement Parameters)
{
    /// <summary>True when the policy is evaluated for commitments of <paramref name="principalId"/>: global, or agent-scoped to it.</summary>
    public bool AppliesTo(string principalId) =>
        Record.ScopeKind == PolicyScopes.Global
        || (Record.ScopeKind == PolicyScopes.Agent && string.Equals(Record.ScopeRef, principalId, StringComparison.Ordinal));

    public static ActivePolicy From(PolicyRecord record)
    {
        using var document = JsonDocument.Parse(record.ParamsJson);
        return new ActivePolicy(record, document.RootElement.Clone());
    }
}
