namespace Mesa.LocalServer.Storage;

/// <summary>A stored commitment as a deliberation lists it; <see cref="PayloadJson"/> is the payload as the upstream server writes it back.</summary>
internal sealed record CommitmentEntry(string Id, string Type, string PrincipalId, string Status, string PayloadJson, string CreatedAt);
