namespace Mesa.LocalServer.Storage;

/// <summary>How the last gates of <c>POST /commitments</c> ended.</summary>
internal enum CommitmentOutcomeKind
{
    /// <summary>Stored (active or flagged).</summary>
    Stored,

    /// <summary>A block policy fired; nothing stored (hit counts were).</summary>
    Blocked,

    /// <summary>The deliberation does not exist.</summary>
    UnknownDeliberation,

    /// <summary>The deliberation is not open.</summary>
    DeliberationClosed,
}
