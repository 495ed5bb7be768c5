namespace Mesa.Client;

/// <summary>
/// The <c>code</c> of the structured error details a mesa server answers (protocol sections 5 and 7, and the local
/// server's body limits): the programmatic handle of a refusal, read from <see cref="MesaException.Code"/>.
/// </summary>
public static class MesaErrorCodes
{
    /// <summary>403: the server has no admin token configured, so admin routes are off.</summary>
    public const string AdminDisabled = "admin_disabled";

    /// <summary>403: the <c>X-Admin-Token</c> header is missing or wrong.</summary>
    public const string AdminForbidden = "admin_forbidden";

    /// <summary>401: <c>emitted_by</c> names no registered principal.</summary>
    public const string UnknownPrincipal = "unknown_principal";

    /// <summary>422: the signed fields cannot be made into canonical JSON (a lone surrogate, a non-finite number).</summary>
    public const string MalformedEnvelope = "malformed_envelope";

    /// <summary>401: the signature does not verify against the principal's key.</summary>
    public const string InvalidSignature = "invalid_signature";

    /// <summary>403: the principal lacks the capability for the envelope's type (the detail carries <c>type</c>).</summary>
    public const string AuthorityDenied = "authority_denied";

    /// <summary>422: the payload does not match the type's schema.</summary>
    public const string SchemaInvalid = "schema_invalid";

    /// <summary>422: the commitment names a deliberation that does not exist.</summary>
    public const string UnknownDeliberation = "unknown_deliberation";

    /// <summary>403: the deliberation is closed.</summary>
    public const string DeliberationClosed = "deliberation_closed";

    /// <summary>403: a policy blocked the commitment (the detail carries <c>policy_id</c>, <c>policy_name</c>).</summary>
    public const string PolicyBlocked = "policy_blocked";

    /// <summary>422: a deliberation status filter other than <c>open</c> or <c>closed</c>.</summary>
    public const string InvalidStatus = "invalid_status";

    /// <summary>422: a turn envelope whose type is not <c>turn</c>.</summary>
    public const string WrongEnvelopeType = "wrong_envelope_type";

    /// <summary>422: a turn's <c>deliberation_id</c> is not the deliberation of its path.</summary>
    public const string DeliberationMismatch = "deliberation_mismatch";

    /// <summary>404: the deliberation does not exist.</summary>
    public const string NotFound = "not_found";

    /// <summary>413 (local server): the request body is larger than the server takes.</summary>
    public const string BodyTooLarge = "body_too_large";

    /// <summary>408 (local server): the request body arrived too slowly.</summary>
    public const string BodyTooSlow = "body_too_slow";
}
