using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Mesa.Client;

/// <summary>Turns a failed HTTP response into the typed exception of protocol section 5.</summary>
internal static class MesaErrorMapper
{
    /// <summary>
    /// Maps a failed response. The detail is read from the raw <paramref name="body"/>; when a <paramref name="secret"/>
    /// is given (the admin token that went with the request), it is then replaced in the body, the detail's strings,
    /// the code and the message, so a server that echoes it cannot leak it, while a short token that merely occurs in
    /// the JSON (a key such as <c>code</c>) does not break the reading of the detail.
    /// </summary>
    public static MesaException FromResponse(int status, string? body, string method, Uri uri, string? secret = null)
    {
        var exception = Map(status, body, method, uri);
        if (string.IsNullOrEmpty(secret) || body is null || !body.Contains(secret, StringComparison.Ordinal))
        {
            return exception;
        }

        return Map(
            status, Redact(body, secret), Redact(exception.Detail, secret), Redact(exception.Code, secret),
            Redact(exception.Message, secret)!, method, uri);
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

    private const string Redacted = "<redacted>";

    private static string? Redact(string? text, string secret) =>
        text is null || !text.Contains(secret, StringComparison.Ordinal) ? text : text.Replace(secret, Redacted, StringComparison.Ordinal);

    // The detail as plain values (JsonPlain's shapes): strings and keys are redacted at every depth.
    private static object? Redact(object? value, string secret) => value switch
    {
        string text => Redact(text, secret),
        IReadOnlyDictionary<string, object?> map => RedactMap(map, secret),
        IReadOnlyList<object?> list => list.Select(item => Redact(item, secret)).ToList(),
        _ => value,
    };

    private static Dictionary<string, object?> RedactMap(IReadOnlyDictionary<string, object?> map, string secret)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, item) in map)
        {
            result[Redact(key, secret)!] = Redact(item, secret); // two keys that redact alike: the last wins, as in JSON
        }

        return result;
    }

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
