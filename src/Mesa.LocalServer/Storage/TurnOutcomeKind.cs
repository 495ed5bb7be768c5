namespace Mesa.LocalServer.Storage;

/// <summary>How <see cref="MesaStore.AppendTurnAsync"/> ended.</summary>
internal enum TurnOutcomeKind
{
    /// <summary>Stored with the next index.</summary>
    Stored,

    /// <summary>No such deliberation.</summary>
    NotFound,

    /// <summary>The envelope names another deliberation.</summary>
    Mismatch,

    /// <summary>The deliberation is not open.</summary>
    Closed,
}
