namespace Mesa.Client;

/// <summary>
/// The server answered, but not as a mesa server does: a success body without the fields of its model (a server that
/// answers <c>{"status":"ok"}</c> to everything), or an answer larger than the client reads. Usually a wrong URI (another
/// service, a proxy's page) rather than a mesa fault.
/// </summary>
public sealed class MesaInvalidResponseException : MesaException
{
    /// <summary>Creates the exception.</summary>
    public MesaInvalidResponseException(
        string message, int? statusCode = null, string? body = null, string? method = null, Uri? requestUri = null, Exception? innerException = null)
        : base(message, statusCode, body, null, null, method, requestUri, innerException)
    {
    }

    /// <inheritdoc />
    public override string ErrorClass => "InvalidResponse";
}
