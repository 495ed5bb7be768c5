namespace Mesa.Client;

/// <summary>
/// A request was sent but its answer was lost (a timeout or a connection reset after the body went out), so the
/// server may or may not have processed it. For <c>POST /commitments</c> this is never retried: the commitment may
/// have landed, and mesa stores a re-sent envelope again. Check the deliberation before sending it again.
/// </summary>
public sealed class MesaOutcomeUnknownException : MesaException
{
    /// <summary>Creates the exception.</summary>
    public MesaOutcomeUnknownException(string message, string? method = null, Uri? requestUri = null, Exception? innerException = null)
        : base(message, null, null, null, null, method, requestUri, innerException)
    {
    }

    /// <inheritdoc />
    public override string ErrorClass => "OutcomeUnknown";
}
