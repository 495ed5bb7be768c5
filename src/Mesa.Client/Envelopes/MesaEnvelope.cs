using System.Text;
using System.Text.Json;

namespace Mesa.Client;

/// <summary>
/// A mesa envelope (protocol section 1): the fields that get signed, the profile that decides which of them
/// are signed, and the signature once there is one. Immutable: <see cref="Sign"/> returns a new envelope.
/// The payload is frozen as canonical JSON when the envelope is made, so what is shown is what is signed.
/// </summary>
public sealed class MesaEnvelope
{
    // The canonical bytes of the signed fields, made once: what Sign signs, Verify checks and the wire JSON is cut from.
    private readonly byte[] _canonical;
    private readonly int _payloadStart;
    private readonly int _payloadEnd; // also where the wire JSON inserts "signature" (it sorts between payload and timestamp)

    private MesaEnvelope(
        string id, string? parentId, string timestamp, string type, string emittedBy, string? deliberationId,
        MesaProfile profile, string? signature, byte[] canonical, int payloadStart, int payloadEnd)
    {
        Id = id;
        ParentId = parentId;
        Timestamp = timestamp;
        Type = type;
        EmittedBy = emittedBy;
        DeliberationId = deliberationId;
        Profile = profile;
        Signature = signature;
        _canonical = canonical;
        _payloadStart = payloadStart;
        _payloadEnd = payloadEnd;
    }

    /// <summary>Client-made envelope id (default <c>evt_</c> + 32 lowercase hex).</summary>
    public string Id { get; }

    /// <summary>Optional link to an earlier envelope.</summary>
    public string? ParentId { get; }

    /// <summary>Opaque timestamp string (default: UTC now with microseconds and <c>Z</c>).</summary>
    public string Timestamp { get; }

    /// <summary>Commitment type, or <c>turn</c>.</summary>
    public string Type { get; }

    /// <summary>Id of the principal that emits the envelope.</summary>
    public string EmittedBy { get; }

    /// <summary>The deliberation (profile v2 only).</summary>
    public string? DeliberationId { get; }

    /// <summary>Which field set is signed.</summary>
    public MesaProfile Profile { get; }

    /// <summary>The signature as 128 hex characters, or null when unsigned.</summary>
    public string? Signature { get; }

    /// <summary>True once a signature is attached.</summary>
    public bool IsSigned => Signature is not null;

    /// <summary>The payload as canonical JSON text.</summary>
    public string PayloadJson => Encoding.UTF8.GetString(PayloadSpan);

    /// <summary>
    /// The payload as plain values (string-keyed dictionaries, lists, strings, numbers, booleans, null; see
    /// <see cref="JsonPlain"/>), so that PowerShell shows, indexes and converts it (ConvertTo-Json) like any hashtable.
    /// A fresh copy on each read: changing it changes nothing that is signed.
    /// </summary>
    public IReadOnlyDictionary<string, object?> Payload
    {
        get
        {
            using var doc = JsonDocument.Parse(_canonical.AsMemory(_payloadStart, _payloadEnd - _payloadStart));
            return (IReadOnlyDictionary<string, object?>)JsonPlain.ToPlain(doc.RootElement)!;
        }
    }

    /// <summary>The payload as a detached JSON element (a method, not a property, so serialisers of the envelope skip it).</summary>
    public JsonElement GetPayloadElement()
    {
        using var doc = JsonDocument.Parse(_canonical.AsMemory(_payloadStart, _payloadEnd - _payloadStart));
        return doc.RootElement.Clone();
    }

    /// <summary>Makes a new default envelope id: <c>evt_</c> + 32 lowercase hex characters.</summary>
    public static string NewId() => EnvelopeIds.Next();

    /// <summary>Makes a timestamp like the reference SDK: UTC, microseconds, <c>Z</c>.</summary>
    public static string NewTimestamp() => UtcTimestamp.Format(DateTime.UtcNow);

    /// <summary>Formats a point in time the way the reference SDK does: UTC, microseconds, <c>Z</c>.</summary>
    public static string FormatTimestamp(DateTimeOffset value) => UtcTimestamp.Format(value.UtcDateTime);

    /// <summary>
    /// Creates an unsigned envelope. <paramref name="payload"/> may be a dictionary, a JSON element or node, or a
    /// JSON object text (a <see cref="string"/> is parsed as JSON); it must be a JSON object.
    /// </summary>
    /// <exception cref="ArgumentException">A required field is blank, the payload is not a JSON object, or v1 is given a deliberation id.</exception>
    /// <exception cref="CanonicalJsonException">
    /// The payload holds something canonical JSON refuses (the path starts at <c>payload</c>), or a field holds a lone
    /// surrogate (the path is the field's name).
    /// </exception>
    public static MesaEnvelope Create(
        string type, string emittedBy, object? payload,
        string? deliberationId = null, string? parentId = null, string? id = null, string? timestamp = null,
        MesaProfile profile = MesaProfile.V2)
    {
        RequireText(type, nameof(type), "type", "a commitment type such as 'offer', or 'turn'");
        RequireText(emittedBy, nameof(emittedBy), "emitted_by", "the id of the principal that signs");
        if (id is not null) RequireText(id, nameof(id), "id", "omit it to get evt_ + 32 hex");
        if (timestamp is not null) RequireText(timestamp, nameof(timestamp), "timestamp", "omit it to get UTC now");
        if (profile is not (MesaProfile.V1 or MesaProfile.V2))
        {
            throw new ArgumentOutOfRangeException(nameof(profile), profile, "The profile must be V1 or V2.");
        }

        if (profile == MesaProfile.V1 && deliberationId is not null)
        {
            throw new ArgumentException(
                "The v1 profile has no deliberation_id; use the v2 profile for envelopes inside a deliberation, or drop the deliberation id.",
                nameof(deliberationId));
        }

        RequireEncodable(type, "type");
        RequireEncodable(emittedBy, "emitted_by");
        RequireEncodable(id, "id");
        RequireEncodable(timestamp, "timestamp");
        RequireEncodable(parentId, "parent_id");
        RequireEncodable(deliberationId, "deliberation_id");

        return Build(id ?? NewId(), parentId, timestamp ?? NewTimestamp(), type, emittedBy, deliberationId, profile, payload, default);
    }

    /// <summary>
    /// Reads an envelope from wire JSON (the fields of section 1, <c>signature</c> optional). Fields outside the
    /// signed set are ignored, as the server does; under <see cref="MesaProfile.V1"/> that includes <c>deliberation_id</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The JSON is not an envelope (not an object, a field missing or of the wrong type).</exception>
    /// <exception cref="CanonicalJsonException">The JSON is invalid or holds something canonical JSON refuses.</exception>
    public static MesaEnvelope FromJson(string json, MesaProfile profile = MesaProfile.V2)
    {
        ArgumentNullException.ThrowIfNull(json);

        // The payload sits one level inside the envelope object.
        using var doc = CanonicalJson.Parse(json, outerLevels: 1);
        return FromRoot(doc.RootElement, profile, nameof(json));
    }

    /// <summary>
    /// Reads a signed envelope back from its exact wire JSON, as <see cref="ToWireBytes"/> wrote it: the result's
    /// <see cref="ToWireBytes"/> gives the same bytes, so the signature verifies as it did. The profile is the one the
    /// bytes show (a <c>deliberation_id</c> member is written by v2 only); <paramref name="profile"/>, when given,
    /// must agree with it.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The JSON is not an envelope, has no signature, is of the other profile than <paramref name="profile"/>, or is
    /// not byte for byte the wire form (such as JSON re-indented or with keys reordered).
    /// </exception>
    /// <exception cref="CanonicalJsonException">The bytes are not UTF-8 JSON, or hold something canonical JSON refuses.</exception>
    public static MesaEnvelope FromWireJson(ReadOnlySpan<byte> utf8Json, MesaProfile? profile = null)
    {
        var copy = utf8Json.ToArray();
        using var doc = CanonicalJson.Parse(copy.AsMemory(), outerLevels: 1);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"An envelope must be a JSON object; this JSON is a {root.ValueKind}.", nameof(utf8Json));
        }

        var shown = root.TryGetProperty("deliberation_id", out _) ? MesaProfile.V2 : MesaProfile.V1;
        if (profile is { } wanted && wanted != shown)
        {
            throw new ArgumentException(
                shown == MesaProfile.V2
                    ? $"The envelope is a v2 envelope (it has a deliberation_id member), not {wanted}; leave the profile out to take the one the JSON shows."
                    : $"The envelope is a v1 envelope (it has no deliberation_id member), not {wanted}; leave the profile out to take the one the JSON shows.",
                nameof(profile));
        }

        var envelope = FromRoot(root, shown, nameof(utf8Json));
        if (envelope.Signature is null)
        {
            throw new ArgumentException($"Envelope {envelope.Id} has no signature; wire JSON is always signed.", nameof(utf8Json));
        }

        var wire = envelope.ToWireBytes();
        if (!wire.AsSpan().SequenceEqual(utf8Json))
        {
            var at = wire.AsSpan().CommonPrefixLength(utf8Json);
            throw new ArgumentException(
                $"Envelope {envelope.Id} is not in its exact wire form (canonical JSON with the signature, as Export-MesaEnvelope and ToWireBytes write it): " +
                $"the bytes differ from byte {at} on, so its signature could not be trusted to cover what was read. Export the envelope again rather than editing the JSON.",
                nameof(utf8Json));
        }

        return envelope;
    }

    /// <summary>Reads a signed envelope back from its exact wire JSON text (see <see cref="FromWireJson(ReadOnlySpan{byte}, MesaProfile?)"/>).</summary>
    /// <exception cref="ArgumentException">As for the UTF-8 overload.</exception>
    /// <exception cref="CanonicalJsonException">The text is not JSON, or holds something canonical JSON refuses.</exception>
    public static MesaEnvelope FromWireJson(string json, MesaProfile? profile = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        return FromWireJson(JsonText.ToUtf8(json), profile);
    }

    private static MesaEnvelope FromRoot(JsonElement root, MesaProfile profile, string paramName)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"An envelope must be a JSON object; this JSON is a {root.ValueKind}.", paramName);
        }

        string? Text(string name)
        {
            if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
            if (value.ValueKind != JsonValueKind.String)
            {
                throw new ArgumentException($"The envelope field '{name}' must be a string or null; it is a {value.ValueKind}.", paramName);
            }

            try
            {
                return value.GetString();
            }
            catch (InvalidOperationException ex)
            {
                throw new CanonicalJsonException(name, "the value holds a lone surrogate, which UTF-8 cannot encode.", ex);
            }
        }

        if (!root.TryGetProperty("payload", out var payload))
        {
            throw new ArgumentException("The envelope has no 'payload' object.", paramName);
        }

        var envelope = Create(
            Text("type")!, Text("emitted_by")!, payload,
            profile == MesaProfile.V2 ? Text("deliberation_id") : null,
            Text("parent_id"), Text("id") ?? throw new ArgumentException("The envelope has no 'id'.", paramName),
            Text("timestamp") ?? throw new ArgumentException("The envelope has no 'timestamp'.", paramName),
            profile);
        var signature = Text("signature");
        return signature is null ? envelope : envelope.WithSignature(signature);
    }

    /// <summary>The canonical bytes of the signed fields for this envelope's profile: exactly what gets signed. A fresh copy.</summary>
    public byte[] GetCanonicalBytes() => (byte[])_canonical.Clone();

    /// <summary>Signs the canonical bytes with <paramref name="keypair"/>; returns a new, signed envelope (lowercase hex signature).</summary>
    public MesaEnvelope Sign(MesaKeypair keypair)
    {
        ArgumentNullException.ThrowIfNull(keypair);
        return WithSignatureUnchecked(keypair.SignHex(_canonical));
    }

    /// <summary>Returns a copy carrying <paramref name="signatureHex"/> (128 hex characters, either case).</summary>
    /// <exception cref="ArgumentException">The text is not 128 hex characters.</exception>
    public MesaEnvelope WithSignature(string signatureHex)
    {
        Hex.Parse(signatureHex, MesaKeypair.SignatureSize, "A signature", nameof(signatureHex));
        return WithSignatureUnchecked(signatureHex);
    }

    /// <summary>
    /// Returns a copy with the same fields under another profile, unsigned (a signature covers one profile only).
    /// Moving to <see cref="MesaProfile.V1"/> drops the deliberation id, which v1 does not have.
    /// </summary>
    public MesaEnvelope WithProfile(MesaProfile profile)
    {
        if (profile == Profile) return this;
        if (profile is not (MesaProfile.V1 or MesaProfile.V2))
        {
            throw new ArgumentOutOfRangeException(nameof(profile), profile, "The profile must be V1 or V2.");
        }

        return Build(Id, ParentId, Timestamp, Type, EmittedBy, profile == MesaProfile.V1 ? null : DeliberationId, profile, null, PayloadSpan);
    }

    /// <summary>True when the signature verifies against <paramref name="publicKeyHex"/>; false when unsigned, wrong or malformed.</summary>
    public bool Verify(string publicKeyHex) =>
        Signature is not null && MesaKeypair.Verify(publicKeyHex, _canonical, Signature);

    /// <summary>True when the signature verifies against <paramref name="keypair"/>'s public key.</summary>
    public bool Verify(MesaKeypair keypair)
    {
        ArgumentNullException.ThrowIfNull(keypair);
        return Verify(keypair.PublicKeyHex);
    }

    /// <summary>
    /// The JSON to send: the canonical form of the signed fields plus <c>signature</c>, so that the server's parse
    /// reproduces the signed bytes exactly.
    /// </summary>
    /// <exception cref="InvalidOperationException">The envelope is not signed.</exception>
    public byte[] ToWireBytes()
    {
        if (Signature is null)
        {
            throw new InvalidOperationException($"Envelope {Id} is not signed; sign it with a keypair (Sign) before sending it.");
        }

        // "signature" sorts between "payload" and "timestamp": splice it into the canonical bytes at that point.
        var member = ",\"signature\":\""u8;
        var wire = new byte[_canonical.Length + member.Length + Signature.Length + 1];
        var span = wire.AsSpan();
        _canonical.AsSpan(0, _payloadEnd).CopyTo(span);
        var at = _payloadEnd;
        member.CopyTo(span[at..]);
        at += member.Length;
        at += Encoding.ASCII.GetBytes(Signature, span[at..]);
        span[at++] = (byte)'"';
        _canonical.AsSpan(_payloadEnd).CopyTo(span[at..]);
        return wire;
    }

    /// <summary>The wire JSON as text (see <see cref="ToWireBytes"/>).</summary>
    public string ToWireJson() => Encoding.UTF8.GetString(ToWireBytes());

    /// <summary>A short description: type, id, emitter, and whether it is signed.</summary>
    public override string ToString() =>
        $"{Type} {Id} by {EmittedBy} ({Profile}, {(IsSigned ? "signed" : "unsigned")})";

    private ReadOnlySpan<byte> PayloadSpan => _canonical.AsSpan(_payloadStart, _payloadEnd - _payloadStart);

    private MesaEnvelope WithSignatureUnchecked(string signature) =>
        new(Id, ParentId, Timestamp, Type, EmittedBy, DeliberationId, Profile, signature, _canonical, _payloadStart, _payloadEnd);

    // Writes the signed fields in one pass, keys in code-point order:
    // deliberation_id (v2 only), emitted_by, id, parent_id, payload, timestamp, type.
    // The payload comes either as a value to canonicalise or as bytes that already are canonical.
    private static MesaEnvelope Build(
        string id, string? parentId, string timestamp, string type, string emittedBy, string? deliberationId,
        MesaProfile profile, object? payload, ReadOnlySpan<byte> canonicalPayload)
    {
        var writer = CanonicalJsonWriter.Rent(root: "payload");
        try
        {
            writer.WriteRaw("{"u8);
            if (profile == MesaProfile.V2)
            {
                writer.WriteRaw("\"deliberation_id\":"u8);
                WriteNullable(writer, deliberationId);
                writer.WriteRaw(","u8);
            }

            writer.WriteRaw("\"emitted_by\":"u8);
            writer.WriteString(emittedBy);
            writer.WriteRaw(",\"id\":"u8);
            writer.WriteString(id);
            writer.WriteRaw(",\"parent_id\":"u8);
            WriteNullable(writer, parentId);
            writer.WriteRaw(",\"payload\":"u8);
            var payloadStart = writer.Length;
            if (!canonicalPayload.IsEmpty) writer.WriteRaw(canonicalPayload);
            else WritePayload(writer, payload);
            var payloadEnd = writer.Length;
            writer.WriteRaw(",\"timestamp\":"u8);
            writer.WriteString(timestamp);
            writer.WriteRaw(",\"type\":"u8);
            writer.WriteString(type);
            writer.WriteRaw("}"u8);
            return new MesaEnvelope(
                id, parentId, timestamp, type, emittedBy, deliberationId, profile, null, writer.ToArray(), payloadStart, payloadEnd);
        }
        finally
        {
            CanonicalJsonWriter.Return(writer);
        }
    }

    private static void WritePayload(CanonicalJsonWriter writer, object? payload)
    {
        var start = writer.Length;
        if (payload is string text)
        {
            using var document = CanonicalJson.Parse(text, root: "payload");
            writer.WriteElement(document.RootElement);
        }
        else
        {
            writer.WriteValue(payload);
        }

        var first = writer.WrittenSpan[start];
        if (first != (byte)'{')
        {
            throw new ArgumentException(
                "The payload must be a JSON object (a hashtable, dictionary, JSON object or JSON object text), not " +
                (payload is null ? "null" : "a " + DescribeJson(first)) + ".", nameof(payload));
        }
    }

    private static void WriteNullable(CanonicalJsonWriter writer, string? value)
    {
        if (value is null) writer.WriteRaw("null"u8);
        else writer.WriteString(value);
    }

    private static string DescribeJson(byte first) => first switch
    {
        (byte)'[' => "JSON array",
        (byte)'"' => "JSON string",
        (byte)'n' => "JSON null",
        (byte)'t' or (byte)'f' => "JSON boolean",
        _ => "JSON number",
    };

    private static void RequireText(string? value, string paramName, string field, string hint)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new ArgumentException($"The envelope field '{field}' must be a non-empty string ({hint}).", paramName);
        }
    }

    private static void RequireEncodable(string? value, string field)
    {
        var bad = value is null ? -1 : JsonText.FindLoneSurrogate(value);
        if (bad >= 0)
        {
            throw new CanonicalJsonException(
                field, $"the value holds a lone surrogate U+{(int)value![bad]:X4} at character {bad}, which UTF-8 cannot encode; remove it or complete the pair.");
        }
    }
}
