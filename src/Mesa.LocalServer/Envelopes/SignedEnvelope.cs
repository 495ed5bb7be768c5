using System.Text.Json;

namespace Mesa.LocalServer.Envelopes;

/// <summary>
/// A request envelope that passed request validation. <see cref="Root"/> is the parsed body: the signed fields are
/// taken from it as sent (number kinds and all) to rebuild the canonical bytes.
/// </summary>
internal sealed record SignedEnvelope(
    JsonElement Root,
    string Id,
    string? ParentId,
    string Timestamp,
    string Type,
    string EmittedBy,
    string? DeliberationId,
    JsonElement Payload,
    string Signature);
