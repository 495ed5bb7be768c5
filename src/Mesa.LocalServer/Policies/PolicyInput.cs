namespace Mesa.LocalServer.Policies;

/// <summary>A validated policy to store, from <c>--policies</c> or <c>POST /_local/policies</c>. <see cref="Id"/> null means "make one".</summary>
internal sealed record PolicyInput(
    string? Id,
    string Name,
    string ScopeKind,
    string? ScopeRef,
    string PredicateName,
    string ParamsJson,
    string Action,
    string? RouteTo,
    bool Enabled,
    long Hits30d);
