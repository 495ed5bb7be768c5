namespace Mesa.Client;

/// <summary>
/// The fields of a signed envelope (protocol section 1) and which of them each profile signs. Fields outside the
/// signed set, <see cref="Signature"/> included, are not part of the signed bytes.
/// </summary>
public static class MesaEnvelopeFields
{
    /// <summary><c>id</c>: client-made, non-empty.</summary>
    public const string Id = "id";

    /// <summary><c>parent_id</c>: an earlier envelope's id, or null.</summary>
    public const string ParentId = "parent_id";

    /// <summary><c>timestamp</c>: opaque to the server.</summary>
    public const string Timestamp = "timestamp";

    /// <summary><c>type</c>: a commitment type or <c>turn</c>.</summary>
    public const string Type = "type";

    /// <summary><c>emitted_by</c>: the signing principal's id.</summary>
    public const string EmittedBy = "emitted_by";

    /// <summary><c>deliberation_id</c>: v2 only; always signed there (as null when absent).</summary>
    public const string DeliberationId = "deliberation_id";

    /// <summary><c>payload</c>: the type-specific JSON object.</summary>
    public const string Payload = "payload";

    /// <summary><c>signature</c>: 128 hex characters over the canonical bytes of the signed fields; itself unsigned.</summary>
    public const string Signature = "signature";

    private static readonly string[] V1 = [EmittedBy, Id, ParentId, Payload, Timestamp, Type];
    private static readonly string[] V2 = [DeliberationId, EmittedBy, Id, ParentId, Payload, Timestamp, Type];

    /// <summary>The fields <paramref name="profile"/> signs, in code-point order (the order of the canonical bytes).</summary>
    public static IReadOnlyList<string> Signed(MesaProfile profile) => profile == MesaProfile.V1 ? V1 : V2;
}
