using Mesa.Client;
using Mesa.LocalServer.Http;
using Mesa.LocalServer.Validation;

namespace Mesa.LocalServer.Envelopes;

/// <summary>
/// Request validation (gate 1) of a signed envelope, as the upstream pydantic models declare it: non-empty strings for
/// <c>id</c>, <c>timestamp</c>, <c>type</c>, <c>emitted_by</c>; <c>parent_id</c> a string or null; <c>payload</c> an object;
/// <c>signature</c> 128 hex characters. In v2 a commitment needs a non-empty <c>deliberation_id</c>, a turn may omit it;
/// v1 has no such field (one sent is ignored).
/// </summary>
internal static class EnvelopeReader
{
    /// <exception cref="ApiError">422 with the validation problems.</exception>
    public static SignedEnvelope Read(RequestBody body, EnvelopeKind kind, MesaProfile profile)
    {
        var reader = ModelReader.Open(body, kind == EnvelopeKind.Commitment ? "CommitmentEnvelope" : "TurnEnvelope");
        // A lone surrogate in these strings is a string_unicode problem here (pydantic's str); inside the payload
        // (dict[str, Any]) it passes, and canonical JSON refuses it later as malformed_envelope.
        var id = reader.RequiredString(MesaEnvelopeFields.Id, minLength: 1);
        var parentId = reader.NullableString(MesaEnvelopeFields.ParentId);
        var timestamp = reader.RequiredString(MesaEnvelopeFields.Timestamp, minLength: 1);
        var type = reader.RequiredString(MesaEnvelopeFields.Type, minLength: 1);
        var emittedBy = reader.RequiredString(MesaEnvelopeFields.EmittedBy, minLength: 1);
        string? deliberationId = null;
        if (profile == MesaProfile.V2)
        {
            deliberationId = kind == EnvelopeKind.Commitment
                ? reader.RequiredString(MesaEnvelopeFields.DeliberationId, minLength: 1)
                : reader.NullableString(MesaEnvelopeFields.DeliberationId);
        }

        var payload = reader.RequiredObject(MesaEnvelopeFields.Payload);
        var signature = reader.RequiredString(MesaEnvelopeFields.Signature, minLength: 128, maxLength: 128);
        if (signature is not null && !IsHex(signature))
        {
            reader.ValueError(MesaEnvelopeFields.Signature, "signature must be hex-encoded", signature);
        }

        reader.ThrowIfInvalid();
        return new SignedEnvelope(
            reader.Body, id!, parentId, timestamp!, type!, emittedBy!, deliberationId, payload!.Value, signature!.ToLowerInvariant());
    }

    private static bool IsHex(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c)) return false;
        }

        return true;
    }
}
