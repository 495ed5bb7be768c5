using Mesa.Client;
using Mesa.LocalServer.Hosting;
using Mesa.LocalServer.Http;
using Mesa.LocalServer.Storage;

namespace Mesa.LocalServer.Envelopes;

/// <summary>
/// Gates 2–4 of an envelope: the emitter must be a known principal (401 <c>unknown_principal</c>), the signed fields must
/// make canonical JSON (422 <c>malformed_envelope</c>), and the signature must verify against the principal's key
/// (401 <c>invalid_signature</c>). Canonical bytes and verification are Mesa.Client's, so client and server share one
/// implementation.
/// </summary>
internal sealed class EnvelopeVerifier(MesaStore store, ServerOptions options)
{
    // The signed fields of each generation (contract section 1); anything else in the body is ignored and unsigned.
    private static readonly string[] V1Fields = { "id", "parent_id", "timestamp", "type", "emitted_by", "payload" };
    private static readonly string[] V2Fields = { "id", "parent_id", "timestamp", "type", "emitted_by", "deliberation_id", "payload" };

    /// <summary>Runs the gates; returns the emitting principal.</summary>
    /// <exception cref="ApiError">A gate failed.</exception>
    public PrincipalRecord Verify(SignedEnvelope envelope)
    {
        var principal = store.FindPrincipal(envelope.EmittedBy)
            ?? throw ApiError.Coded(401, MesaErrorCodes.UnknownPrincipal, "unknown principal in emitted_by");

        byte[] canonical;
        try
        {
            canonical = CanonicalBytes(envelope, options.Protocol);
        }
        catch (CanonicalJsonException ex)
        {
            throw ApiError.Coded(422, MesaErrorCodes.MalformedEnvelope, ex.Message);
        }

        if (!MesaKeypair.Verify(principal.PublicKey, canonical, envelope.Signature))
        {
            throw ApiError.Coded(401, MesaErrorCodes.InvalidSignature, "signature does not verify");
        }

        return principal;
    }

    /// <summary>The canonical bytes of the envelope's signed fields for <paramref name="profile"/>, taken from the body as parsed.</summary>
    public static byte[] CanonicalBytes(SignedEnvelope envelope, MesaProfile profile)
    {
        var fields = profile == MesaProfile.V1 ? V1Fields : V2Fields;
        var signed = new Dictionary<string, object?>(fields.Length, StringComparer.Ordinal);
        foreach (var name in fields)
        {
            // An absent optional field (parent_id, a turn's deliberation_id) is signed as null.
            signed[name] = envelope.Root.TryGetProperty(name, out var value) ? value : null;
        }

        return CanonicalJson.FromObject(signed);
    }
}
