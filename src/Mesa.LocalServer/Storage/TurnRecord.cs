namespace Mesa.LocalServer.Storage;

/// <summary>A stored turn; <see cref="Index"/> counts from 0 per deliberation.</summary>
internal sealed record TurnRecord(string Id, string DeliberationId, string SpeakerId, string Content, long Index, string CreatedAt);
