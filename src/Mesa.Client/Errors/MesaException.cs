using System.Net;

namespace Mesa.Client;

/// <summary>
/// A mesa request failed. The base class covers server errors (5xx), unexpected statuses, connection failures and
/// timeouts (no <see cref="StatusCode"/>); subclasses cover the 4xx classes of protocol section 5.
/// </summary>
public class MesaException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MesaException(
        string message, int? statusCode = null, string? body = null, object? detail = null, string? code = null,
        string? method = null, Uri? requestUri = null, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        Body = body;
        Detail = detail;
        Code = code;
        Method = method;
        RequestUri = requestUri;
    }

    /// <summary>The HTTP status, or null when no response came (connection failure, timeout).</summary>
    public int? StatusCode { get; }

    /// <summary>The raw response body (JSON or not), or null.</summary>
    public string? Body { get; }

    /// <summary>
    /// The parsed <c>detail</c>: a dictionary for a structured detail (<c>code</c>, <c>message</c>, extras), a string,
    /// or a list of validation problems (each a dictionary with <c>type</c>, <c>loc</c>, <c>msg</c>, <c>input</c>).
    /// </summary>
    public object? Detail { get; }

    /// <summary>The server's programmatic code (<c>policy_blocked</c>, <c>authority_denied</c>, ...) when the detail is structured.</summary>
    public string? Code { get; }

    /// <summary>The HTTP method of the failed request.</summary>
    public string? Method { get; }

    /// <summary>The URL of the failed request.</summary>
    public Uri? RequestUri { get; }

    /// <summary>
    /// The error class: <c>BadRequest</c>, <c>Unauthorized</c>, <c>Forbidden</c>, <c>NotFound</c>, <c>Conflict</c>,
    /// <c>ServerError</c> (5xx and other statuses) or <c>ConnectionFailed</c> (no response).
    /// </summary>
    public virtual string ErrorClass => StatusCode is null ? "ConnectionFailed" : "ServerError";

    /// <summary>A value from a structured detail (such as <c>policy_id</c> or <c>type</c>), or null.</summary>
    public object? GetDetailValue(string key) =>
        Detail is IReadOnlyDictionary<string, object?> map && map.TryGetValue(key, out var value) ? value : null;

    /// <summary>The status as <see cref="HttpStatusCode"/>, when there is one.</summary>
    public HttpStatusCode? HttpStatus => StatusCode is int s ? (HttpStatusCode)s : null;
}
