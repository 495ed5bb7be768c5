namespace Mesa.LocalServer.Policies;

/// <summary>A stored policy (contract section 8). <see cref="ParamsJson"/> is the predicate's parameters as JSON object text.</summary>
internal sealed record PolicyRecord(
    string Id,
    string Name,
    string ScopeKind,
    string? ScopeRef,
    string PredicateName,
    string ParamsJson,
    string Action,
    string? RouteTo,
    bool Enabled,
    long Hits30d,
    string CreatedAt);
