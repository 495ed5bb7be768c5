namespace Mesa.LocalServer.Storage;

/// <summary>A stored principal.</summary>
internal sealed record PrincipalRecord(string Id, string Org, string PublicKey, IReadOnlyList<string> Capabilities, string CreatedAt);
