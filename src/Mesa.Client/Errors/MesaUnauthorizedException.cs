namespace Mesa.Client;

/// <summary>HTTP 401: unknown principal, or a signature that does not verify.</summary>
public sealed class MesaUnauthorizedException : MesaException
{
    /// <summary>Creates the exception.</summary>
    public MesaUnauthorizedException(
        string message, int statusCode, string? body, object? detail, string? code,
        string? method = null, Uri? requestUri = null)
        : base(message, statusCode, body, detail, code, method, requestUri)
    {
    }

    /// <inheritdoc />
    public override string ErrorClass => "Unauthorized";
}
