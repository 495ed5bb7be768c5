using System.Buffers;
using System.Text;
using System.Text.Json;
using Mesa.LocalServer.Validation;

namespace Mesa.LocalServer.Http;

/// <summary>
/// Reads a request body the way FastAPI does before validation: no content type or a JSON one means JSON
/// (parsed with Python's rules, errors as a <c>json_invalid</c> 422), another content type hands the raw
/// text to validation, undecodable bytes are a 400.
/// </summary>
internal static class RequestBodyReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // The same nesting limit as the Python scanner; deeper bodies are refused by both.
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = PythonJsonScanner.MaxDepth };

    /// <summary>Reads and parses the body.</summary>
    /// <exception cref="ApiError">The JSON is invalid (422) or cannot be decoded at all (400).</exception>
    public static async Task<RequestBody> ReadAsync(HttpContext context)
    {
        var bytes = await ReadAllAsync(context.Request.BodyReader, context.RequestAborted);
        if (bytes.Length == 0)
        {
            return RequestBody.Empty;
        }

        if (!IsJsonContentType(context.Request.ContentType))
        {
            return RequestBody.FromRaw(Encoding.UTF8.GetString(bytes));
        }

        return Parse(bytes);
    }

    /// <summary>Parses JSON bytes with Python's rules.</summary>
    public static RequestBody Parse(byte[] bytes)
    {
        var span = bytes.AsSpan();
        // json.loads(bytes) detects and drops a UTF-8 byte order mark.
        if (span.StartsWith("\uFEFF"u8)) span = span[3..];

        // Fast path: System.Text.Json and Python accept the same JSON grammar (and System.Text.Json also checks the
        // UTF-8), so a body it parses is one Python parses too, unless it could hold an integer longer than Python's
        // int() takes. Everything else goes through the Python scanner for Python's exact verdict.
        if (span.Length <= PythonJsonScanner.MaxIntegerDigits)
        {
            try
            {
                return RequestBody.FromJson(JsonDocument.Parse(bytes.AsMemory(bytes.Length - span.Length), DocumentOptions));
            }
            catch (JsonException)
            {
                // Fall through to the exact check.
            }
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(span);
        }
        catch (DecoderFallbackException)
        {
            throw UnparsableBody();
        }

        JsonSyntaxError? error;
        IReadOnlyList<Range> nonFinite;
        try
        {
            error = PythonJsonScanner.Check(text, out nonFinite);
        }
        catch (FormatException)
        {
            throw UnparsableBody();
        }

        if (error is not null)
        {
            throw ApiError.Validation(new ValidationProblem(
                "json_invalid", new object[] { "body", error.Position }, "JSON decode error", EmptyJsonObject.Instance,
                new[] { new KeyValuePair<string, object?>("error", error.Message) }));
        }

        ReadOnlyMemory<byte> json = nonFinite.Count == 0 ? bytes.AsMemory(bytes.Length - span.Length) : ReplaceNonFinite(text, nonFinite);
        try
        {
            return RequestBody.FromJson(JsonDocument.Parse(json, DocumentOptions));
        }
        catch (JsonException)
        {
            throw UnparsableBody();
        }
    }

    /// <summary>FastAPI parses the body as JSON when there is no content type or an <c>application/json</c> or <c>application/*+json</c> one.</summary>
    public static bool IsJsonContentType(string? contentType)
    {
        if (contentType is null) return true;
        var mediaType = contentType.Split(';', 2)[0].Trim();
        var slash = mediaType.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0) return false; // Python's email parser takes a malformed type as text/plain
        var main = mediaType[..slash];
        var sub = mediaType[(slash + 1)..];
        return main.Equals("application", StringComparison.OrdinalIgnoreCase)
            && (sub.Equals("json", StringComparison.OrdinalIgnoreCase) || sub.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }

    private static ApiError UnparsableBody() => ApiError.Text(400, "There was an error parsing the body");

    // Python reads NaN/Infinity/-Infinity as floats; an overflowing literal is the same value to every later step
    // (canonical JSON refuses it as non-finite), and System.Text.Json can parse it.
    private static byte[] ReplaceNonFinite(string text, IReadOnlyList<Range> literals)
    {
        var sb = new StringBuilder(text.Length + (literals.Count * 4));
        var position = 0;
        foreach (var range in literals)
        {
            var (offset, length) = range.GetOffsetAndLength(text.Length);
            sb.Append(text, position, offset - position);
            sb.Append(text[offset] == '-' ? "-1e999" : "1e999");
            position = offset + length;
        }

        sb.Append(text, position, text.Length - position);
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static async Task<byte[]> ReadAllAsync(System.IO.Pipelines.PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (result.IsCompleted || result.IsCanceled)
            {
                var bytes = buffer.ToArray();
                reader.AdvanceTo(buffer.End);
                return bytes;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
