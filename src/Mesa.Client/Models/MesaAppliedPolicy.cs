namespace Mesa.Client;

/// <summary>A policy that fired for a commitment.</summary>
public sealed record MesaAppliedPolicy
{
    /// <summary>The policy id.</summary>
    public string PolicyId { get; init; } = "";

    /// <summary>The policy name.</summary>
    public string PolicyName { get; init; } = "";

    /// <summary><c>allow</c>, <c>flag</c>, <c>route</c> or <c>block</c>.</summary>
    public string Action { get; init; } = "";

    /// <summary>Where a <c>route</c> policy sends the commitment; null otherwise.</summary>
    public string? RouteTo { get; init; }

    /// <summary>The name and the action, and where it routes: <c>route-long-term (route -> legal-review)</c>.</summary>
    public override string ToString() =>
        RouteTo is null ? $"{PolicyName} ({Action})" : $"{PolicyName} ({Action} -> {RouteTo})";
}
