namespace Mesa.Client;

/// <summary>A commitment as listed inside a deliberation's detail.</summary>
public sealed record MesaCommitmentSummary
{
    /// <summary>Commitment id.</summary>
    public string Id { get; init; } = "";

    /// <summary>The commitment type.</summary>
    public string Type { get; init; } = "";

    /// <summary>The emitting principal.</summary>
    public string PrincipalId { get; init; } = "";

    /// <summary><c>active</c> or <c>flagged</c>.</summary>
    public string Status { get; init; } = "";

    /// <summary>The payload as plain values (dictionaries, lists, strings, numbers).</summary>
    public object? Payload { get; init; }

    /// <summary>When it was stored.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The type, status, id and emitter: <c>offer flagged 9c1e… by 5f2c…</c> (how a detail's Commitments list reads).</summary>
    public override string ToString() => $"{Type} {Status} {Id} by {PrincipalId}";

    /// <summary>
    /// The deliberation it belongs to: filled in from the detail it was listed in (the server's entries do not
    /// carry it), so a listed commitment pipes back into Get-MesaDeliberation.
    /// </summary>
    public string? DeliberationId { get; init; }
}
