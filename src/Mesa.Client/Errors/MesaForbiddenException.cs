namespace Mesa.Client;

/// <summary>HTTP 403: authority denied, policy blocked, admin gate, closed deliberation.</summary>
public sealed class MesaForbiddenException : MesaException
{
    /// <summary>Creates the exception.</summary>
    public MesaForbiddenException(
        string message, int statusCode, string? body, object? detail, string? code,
        string? method = null, Uri? requestUri = null)
        : base(message, statusCode, body, detail, code, method, requestUri)
    {
    }

    /// <inheritdoc />
    public override string ErrorClass => "Forbidden";
}
