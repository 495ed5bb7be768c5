using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Mesa.Client;

/// <summary>Turns a failed HTTP response into the typed exception of protocol section 5.</summary>
internal static class MesaErrorMapper
{
    public static MesaException FromResponse(int status, string? body, string method, Uri uri)
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

        return status switch
        {
            401 => new MesaUnauthorizedException(message, status, body, detail, code, method, uri),
            403 => new MesaForbiddenException(message, status, body, detail, code, method, uri),
            404 => new MesaNotFoundException(message, status, body, detail, code, method, uri),
            409 => new MesaConflictException(message, status, body, detail, code, method, uri),
            >= 400 and < 500 => new MesaBadRequestException(message, status, body, detail, code, method, uri),
            _ => new MesaException(message, status, body, detail, code, method, uri),
        };
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
