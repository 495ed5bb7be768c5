namespace Mesa.LocalServer.Storage;

/// <summary>A stored deliberation.</summary>
internal sealed record DeliberationRecord(string Id, string Title, string? CounterpartySlug, string Stage, string Status, string CreatedAt);
