namespace Mesa.Client;

/// <summary>A deliberation: a negotiation with a status, a stage and a transcript of turns.</summary>
public record MesaDeliberation
{
    /// <summary>Deliberation id.</summary>
    public string Id { get; init; } = "";

    /// <summary>The title.</summary>
    public string Title { get; init; } = "";

    /// <summary>Optional slug of the counterparty.</summary>
    public string? CounterpartySlug { get; init; }

    /// <summary><c>offer</c>, <c>scope</c>, <c>amendment</c> or <c>signoff</c>.</summary>
    public string Stage { get; init; } = "";

    /// <summary><c>open</c> or <c>closed</c>.</summary>
    public string Status { get; init; } = "";

    /// <summary>When it was opened.</summary>
    public DateTimeOffset CreatedAt { get; init; }
}
