namespace Mesa.Client;

/// <summary>HTTP 404: the principal, deliberation or route does not exist.</summary>
public sealed class MesaNotFoundException : MesaException
{
    /// <summary>Creates the exception.</summary>
    public MesaNotFoundException(
        string message, int statusCode, string? body, object? detail, string? code,
        string? method = null, Uri? requestUri = null)
        : base(message, statusCode, body, detail, code, method, requestUri)
    {
    }

    /// <inheritdoc />
    public override string ErrorClass => "NotFound";
}
