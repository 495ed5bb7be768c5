namespace Mesa.LocalServer.Storage;

/// <summary>A verified turn envelope for <see cref="MesaStore.AppendTurnAsync"/>.</summary>
internal sealed record TurnDraft(
    string DeliberationId,
    string? EnvelopeDeliberationId,
    string SpeakerId,
    string Content,
    string Signature,
    string EnvelopeId,
    string EnvelopeTimestamp,
    string? ParentId);
