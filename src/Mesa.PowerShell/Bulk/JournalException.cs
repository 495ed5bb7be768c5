namespace Mesa.PowerShell.Bulk;

/// <summary>
/// A submission journal cannot be used: corrupt, of another server, held by another running submission, or not
/// readable. <see cref="ErrorId"/> is the stable error id the cmdlet reports it under.
/// </summary>
public sealed class JournalException : IOException
{
    /// <summary>Creates the exception.</summary>
    public JournalException(string message, string errorId, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorId = errorId;
    }

    /// <summary><c>JournalCorrupt</c>, <c>JournalServerMismatch</c>, <c>JournalInUse</c> or <c>JournalUnavailable</c>.</summary>
    public string ErrorId { get; }
}
