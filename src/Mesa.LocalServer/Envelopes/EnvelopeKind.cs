namespace Mesa.LocalServer.Envelopes;

/// <summary>Which route an envelope is posted to; it decides whether <c>deliberation_id</c> is required (v2).</summary>
internal enum EnvelopeKind
{
    /// <summary><c>POST /commitments</c> (<c>CommitmentEnvelope</c>).</summary>
    Commitment,

    /// <summary><c>POST /deliberations/{id}/turns</c> (<c>TurnEnvelope</c>).</summary>
    Turn,
}
