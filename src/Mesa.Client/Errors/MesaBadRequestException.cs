namespace Mesa.Client;

/// <summary>HTTP 400 and 422 (validation) and other 4xx statuses not covered by a more specific class.</summary>
public sealed class MesaBadRequestException : MesaException
{
    /// <summary>Creates the exception.</summary>
    public MesaBadRequestException(
        string message, int statusCode, string? body, object? detail, string? code,
        string? method = null, Uri? requestUri = null)
        : base(message, statusCode, body, detail, code, method, requestUri)
    {
    }

    /// <inheritdoc />
    public override string ErrorClass => "BadRequest";
}
