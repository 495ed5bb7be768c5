using System.Text.Json;

namespace Mesa.LocalServer.Storage;

/// <summary>
/// A commitment that passed the signature, authority and schema gates, ready for the deliberation and policy gates.
/// <see cref="Payload"/> is read by the policy predicates; <see cref="PayloadJson"/> is what gets stored.
/// </summary>
internal sealed record CommitmentDraft(
    string Type,
    string PrincipalId,
    string? DeliberationId,
    JsonElement Payload,
    string PayloadJson,
    string Signature,
    string EnvelopeId,
    string EnvelopeTimestamp,
    string? ParentId);
