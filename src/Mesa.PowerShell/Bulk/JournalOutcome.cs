namespace Mesa.PowerShell.Bulk;

/// <summary>What became of one envelope in a bulk submission, as the journal records it.</summary>
internal enum JournalOutcome
{
    /// <summary>The server stored it (<c>landed</c>): the journal has the commitment id, status and action.</summary>
    Landed,

    /// <summary>The server answered and refused it (<c>refused</c>): nothing was stored; the journal has status and code.</summary>
    Refused,

    /// <summary>It was sent but the answer was lost (<c>unknown</c>): it may or may not have landed.</summary>
    Unknown,

    /// <summary>It was received but never sent (<c>not_sent</c>): unsigned, declined, stopped or unreachable.</summary>
    NotSent,
}
