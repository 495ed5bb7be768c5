using System.Collections.ObjectModel;

namespace Mesa.Client;

/// <summary>A registered principal (org, agent or person) with its public key and capabilities.</summary>
public sealed record MesaPrincipal
{
    /// <summary>Server-assigned id (32 hex characters).</summary>
    public string Id { get; init; } = "";

    /// <summary>The organisation name.</summary>
    public string Org { get; init; } = "";

    /// <summary>The Ed25519 public key, 64 lowercase hex characters.</summary>
    public string PublicKey { get; init; } = "";

    /// <summary>The commitment types this principal may emit.</summary>
    public IReadOnlyList<string> Capabilities { get; init => field = ReadOnlyLists.Of(value); } = ReadOnlyCollection<string>.Empty;

    /// <summary>When the principal was registered (UTC when the server gives no zone).</summary>
    public DateTimeOffset CreatedAt { get; init; }
}
