namespace Mesa.LocalServer.Storage;

/// <summary>A stored commitment as a deliberation lists it; <see cref="PayloadJson"/> is the payload's canonical JSON.</summary>
internal sealed record CommitmentEntry(string Id, string Type, string PrincipalId, string Status, string PayloadJson, string CreatedAt);
