namespace Mesa.Client;

/// <summary>HTTP 409: the resource already exists (a public key registered twice).</summary>
public sealed class MesaConflictException : MesaException
{
    /// <summary>Creates the exception.</summary>
    public MesaConflictException(
        string message, int statusCode, string? body, object? detail, string? code,
        string? method = null, Uri? requestUri = null)
        : base(message, statusCode, body, detail, code, method, requestUri)
    {
    }

    /// <inheritdoc />
    public override string ErrorClass => "Conflict";
}
