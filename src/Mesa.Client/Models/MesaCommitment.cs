namespace Mesa.Client;

/// <summary>The result of posting a commitment.</summary>
public sealed record MesaCommitment
{
    /// <summary>Server-assigned commitment id.</summary>
    public string Id { get; init; } = "";

    /// <summary>The commitment type.</summary>
    public string Type { get; init; } = "";

    /// <summary>The emitting principal.</summary>
    public string PrincipalId { get; init; } = "";

    /// <summary><c>active</c>, or <c>flagged</c> when a flag or route policy fired.</summary>
    public string Status { get; init; } = "";

    /// <summary>The policy decision.</summary>
    public MesaDecision Decision { get; init; } = new();

    /// <summary>The id of the envelope that was posted (filled in by the client).</summary>
    public string? EnvelopeId { get; init; }

    /// <summary>
    /// The deliberation the commitment was posted in (the envelope's <c>deliberation_id</c>, filled in by the client:
    /// the server's answer does not carry it); null for a v1 commitment. Lets a commitment pipe into Get-MesaDeliberation.
    /// </summary>
    public string? DeliberationId { get; init; }
}
