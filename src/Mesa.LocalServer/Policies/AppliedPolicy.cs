namespace Mesa.LocalServer.Policies;

/// <summary>A policy whose predicate fired for a commitment, as listed in <c>decision.applied</c>.</summary>
internal sealed record AppliedPolicy(string PolicyId, string PolicyName, string Action, string? RouteTo);
