using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Mesa.Client;

/// <summary>Turns a failed HTTP response into the typed exception of protocol section 5.</summary>
internal static class MesaErrorMapper
{
    /// <summary>
    /// Maps a failed response. The detail is read from the raw <paramref name="body"/>; when a <paramref name="secret"/>
    /// is given (the admin token that went with the request), it is then hidden in the body (plain or JSON-escaped), the
    /// detail's strings, the code and the message, so a server that echoes it cannot leak it, while a short token that
    /// merely occurs in the JSON (a key such as <c>code</c>) does not break the reading of the detail. A body that was
    /// cut (<paramref name="cutAt"/> bytes were kept of a longer one) is said so in the message, with an excerpt; one
    /// that ended early (<paramref name="partial"/>: the connection closed midway) is redacted as a cut one.
    /// </summary>
    public static MesaException FromResponse(int status, string? body, string method, Uri uri, string? secret = null, long? cutAt = null, bool partial = false)
    {
        var exception = Map(status, body, method, uri);
        var message = exception.Message;
        // A cut body may end in the middle of the token: RedactCut hides that beginning too. The excerpt is taken
        // from the redacted body, so its own cut cannot split a token either.
        var safeBody = cutAt is null && !partial ? SecretRedactor.Redact(body, secret) : SecretRedactor.RedactCut(body, secret);
        if (cutAt is long kept)
        {
            message += $" (the answer's body was longer than {Size(kept)} and was cut there; it begins: {Excerpt(safeBody)})";
        }

        if (string.IsNullOrEmpty(secret) && ReferenceEquals(message, exception.Message))
        {
            return exception;
        }

        return Map(
            status, safeBody, SecretRedactor.RedactValue(exception.Detail, secret),
            SecretRedactor.Redact(exception.Code, secret), SecretRedactor.Redact(message, secret)!, method, uri);
    }

    /// <summary>The same error with another message (same class, status, body, detail and code).</summary>
    public static MesaException WithMessage(MesaException error, string message) => error switch
    {
        MesaOutcomeUnknownException => new MesaOutcomeUnknownException(message, error.Method, error.RequestUri, error.InnerException),
        MesaInvalidResponseException => new MesaInvalidResponseException(message, error.StatusCode, error.Body, error.Method, error.RequestUri, error.InnerException),
        _ when error.StatusCode is int status && status >= 400 =>
            Map(status, error.Body, error.Detail, error.Code, message, error.Method ?? "", error.RequestUri!),
        _ => new MesaException(message, error.StatusCode, error.Body, error.Detail, error.Code, error.Method, error.RequestUri, error.InnerException),
    };

    /// <summary>A byte count as people read it: 512 bytes, 64 KiB, 60.0 MiB.</summary>
    public static string Size(long bytes) => bytes switch
    {
        < 1024 => bytes.ToString(CultureInfo.InvariantCulture) + " bytes",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KiB",
        < 1024L * 1024 * 1024 => (bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " MiB",
        _ => (bytes / (1024.0 * 1024 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " GiB",
    };

    // The first 200 characters on one line.
    private static string Excerpt(string? body)
    {
        if (string.IsNullOrEmpty(body)) return "(nothing)";
        var head = body.Length > 200 ? body[..200] + "..." : body;
        return string.Concat(head.Select(c => char.IsControl(c) ? ' ' : c));
    }

    private static MesaException Map(int status, string? body, string method, Uri uri)
    {
        var detail = ParseDetail(body);
        string? code = null;
        string message;
        switch (detail)
        {
            case IReadOnlyDictionary<string, object?> map when map.TryGetValue("code", out var c) && c is string s && s.Length > 0:
                code = s;
                message = map.TryGetValue("message", out var m) && m is not null && !string.IsNullOrWhiteSpace(m.ToString()) ? $"{s}: {m}" : s;
                break;
            case IReadOnlyDictionary<string, object?> other when other.TryGetValue("message", out var bare) && bare is string text && text.Length > 0:
                message = text;
                break;
            case string text when !string.IsNullOrWhiteSpace(text):
                message = text;
                break;
            case IReadOnlyList<object?> list when list.Count > 0:
                message = string.Join("; ", list.Select(DescribeValidation));
                break;
            default:
                message = $"http {status.ToString(CultureInfo.InvariantCulture)}";
                break;
        }

        return Map(status, body, detail, code, message, method, uri);
    }

    private static MesaException Map(int status, string? body, object? detail, string? code, string message, string method, Uri uri) =>
        status switch
        {
            401 => new MesaUnauthorizedException(message, status, body, detail, code, method, uri),
            403 => new MesaForbiddenException(message, status, body, detail, code, method, uri),
            404 => new MesaNotFoundException(message, status, body, detail, code, method, uri),
            409 => new MesaConflictException(message, status, body, detail, code, method, uri),
            >= 400 and < 500 => new MesaBadRequestException(message, status, body, detail, code, method, uri),
            _ => new MesaException(message, status, body, detail, code, method, uri),
        };

    /// <summary>The <c>detail</c> member of a JSON error body as plain .NET values, or null.</summary>
    internal static object? ParseDetail(string? body)
    {
        if (string.IsNullOrWhiteSpace(body)) return null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("detail", out var d)
                ? JsonPlain.ToPlain(d)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // "body.public_key: String should have at least 64 characters"
    private static string DescribeValidation(object? item)
    {
        if (item is not IReadOnlyDictionary<string, object?> problem)
        {
            return item?.ToString() ?? "invalid request";
        }

        var sb = new StringBuilder();
        if (problem.TryGetValue("loc", out var loc) && loc is IReadOnlyList<object?> parts && parts.Count > 0)
        {
            sb.Append(string.Join(".", parts.Select(p => Convert.ToString(p, CultureInfo.InvariantCulture))));
            sb.Append(": ");
        }

        sb.Append(problem.TryGetValue("msg", out var msg) && msg is not null ? msg : "invalid");
        return sb.ToString();
    }
}
