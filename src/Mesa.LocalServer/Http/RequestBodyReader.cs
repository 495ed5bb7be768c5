using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Mesa.Client;
using Mesa.LocalServer.Hosting;
using Mesa.LocalServer.Python;
using Mesa.LocalServer.Validation;

namespace Mesa.LocalServer.Http;

/// <summary>
/// Reads a request body the way FastAPI does before validation: no content type or a JSON one means JSON
/// (parsed with Python's rules, errors as a <c>json_invalid</c> 422), another content type hands the raw
/// text to validation, undecodable bytes are a 400.
/// </summary>
internal static class RequestBodyReader
{
    /// <summary>
    /// The largest body accepted, in bytes (Kestrel's default, kept explicit): a larger one is a 413
    /// <c>body_too_large</c>, answered from its Content-Length before any of it is read, or as soon as a chunked body
    /// passes it.
    /// </summary>
    public const long MaxBodyBytes = 30_000_000;

    /// <summary>The slowest a body may arrive once its grace period is over (Kestrel's default); slower is a 408 <c>body_too_slow</c>.</summary>
    public const int MinBodyBytesPerSecond = 240;

    /// <summary>How long a body may arrive slower than <see cref="MinBodyBytesPerSecond"/> before the 408.</summary>
    public static readonly TimeSpan MinBodyRateGracePeriod = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The whole body must arrive within this time once the server starts reading it (time spent waiting for a
    /// large-body slot does not count), else 408 <c>body_too_slow</c>: a peer just above the minimum rate would
    /// otherwise hold a slot for hours. A 30 MB body in 30 s is 1 MB/s, far below any loopback or LAN link.
    /// </summary>
    public static readonly TimeSpan BodyDeadline = TimeSpan.FromSeconds(30);

    /// <summary>
    /// What Kestrel buffers of a body the handler is not reading yet (its default is 1 MB): the most a request waiting
    /// for a large-body slot holds, the rest stays in TCP.
    /// </summary>
    public const int MaxBufferedBodyBytes = 64 * 1024;

    private const int ChunkSize = 64 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // The same nesting limit as the Python scanner; deeper bodies are refused by both.
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = PythonJsonScanner.MaxDepth };
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = PythonJsonScanner.MaxDepth };

    /// <summary>Reads and parses the body.</summary>
    /// <exception cref="ApiError">The JSON is invalid (422), cannot be decoded at all (400), is too large (413) or too slow (408).</exception>
    public static async Task<RequestBody> ReadAsync(HttpContext context)
    {
        var deadline = context.RequestServices.GetService<ServerOptions>()?.BodyDeadline ?? BodyDeadline;
        using var clock = new BodyClock(deadline, context.RequestAborted);
        var declared = context.Request.ContentLength;
        if (declared > MaxBodyBytes)
        {
            throw TooLarge();
        }

        var gate = context.RequestServices.GetService<LargeBodyGate>();
        IDisposable? lease = null;
        try
        {
            if (gate is not null && declared >= LargeBodyGate.Threshold)
            {
                lease = await gate.EnterAsync(context.RequestAborted);
            }

            byte[] bytes;
            try
            {
                clock.Start();
                bytes = await ReadAllAsync(context.Request.Body, declared, gate, l => lease = l, clock);
            }
            catch (OperationCanceledException) when (clock.Expired)
            {
                // The rest of the body is not read: end the connection after the answer instead of draining it.
                context.Response.Headers.Connection = "close";
                throw ApiError.Coded(
                    408, MesaErrorCodes.BodyTooSlow, $"the request body did not arrive within {deadline.TotalSeconds:0.#} seconds; send it faster");
            }
            catch (BadHttpRequestException ex)
            {
                throw ex.StatusCode switch
                {
                    StatusCodes.Status413PayloadTooLarge => TooLarge(),
                    StatusCodes.Status408RequestTimeout => ApiError.Coded(
                        408, MesaErrorCodes.BodyTooSlow,
                        $"the request body arrived slower than {MinBodyBytesPerSecond} bytes per second for more than {MinBodyRateGracePeriod.TotalSeconds:0} seconds; send it faster"),
                    _ => UnparsableBody(),
                };
            }

            RequestBody body;
            if (bytes.Length == 0)
            {
                body = RequestBody.Empty;
            }
            else if (!IsJsonContentType(context.Request.ContentType))
            {
                body = RequestBody.FromRaw(Encoding.UTF8.GetString(bytes));
            }
            else
            {
                var json = bytes;
                body = bytes.Length >= LargeBodyGate.Threshold ? await LargeBodyParser.RunAsync(() => Parse(json)) : Parse(bytes);
            }

            bytes = null!;
            var result = body.Holding(lease);
            lease = null;
            return result;
        }
        finally
        {
            lease?.Dispose();
        }
    }

    /// <summary>Parses JSON bytes with Python's rules.</summary>
    public static RequestBody Parse(byte[] bytes)
    {
        var span = bytes.AsSpan();
        // json.loads(bytes) detects and drops a UTF-8 byte order mark.
        if (span.StartsWith("\uFEFF"u8)) span = span[3..];

        // Python decodes the whole body before parsing: a bad byte anywhere (a key, an ignored field) fails it all.
        if (!Utf8.IsValid(span))
        {
            throw UnparsableBody();
        }

        // Fast path: System.Text.Json and Python accept the same JSON grammar, so a body it parses is one Python parses
        // too, unless it holds an integer longer than Python's int() takes. Everything else goes through the Python
        // scanner for Python's exact verdict.
        var memory = bytes.AsMemory(bytes.Length - span.Length);
        if (span.Length <= PythonJsonScanner.MaxIntegerDigits || !HasOverlongInteger(span))
        {
            try
            {
                return RequestBody.FromJson(JsonDocument.Parse(memory, DocumentOptions), bytes.Length);
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

        ReadOnlyMemory<byte> json = nonFinite.Count == 0 ? memory : ReplaceNonFinite(text, nonFinite);
        try
        {
            return RequestBody.FromJson(JsonDocument.Parse(json, DocumentOptions), bytes.Length);
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

    private static ApiError TooLarge() => ApiError.Coded(
        413, MesaErrorCodes.BodyTooLarge,
        $"the request body is larger than the limit of {MaxBodyBytes} bytes ({MaxBodyBytes / 1_000_000} MB); send a smaller body");

    // True when a syntactically valid prefix holds an integer literal of more digits than Python's int() takes; a
    // syntax error stops the scan (the exact check reports it).
    private static bool HasOverlongInteger(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.Number && !reader.HasValueSequence && reader.ValueSpan.Length > PythonJsonScanner.MaxIntegerDigits
                    && reader.ValueSpan.IndexOfAny("."u8[0], (byte)'e', (byte)'E') < 0)
                {
                    return true;
                }
            }
        }
        catch (JsonException)
        {
            return true;
        }

        return false;
    }

    // Reads the whole body into one array of its exact size: straight into it when the length is declared, else in
    // pooled chunks copied once at the end; never more than the limit (a chunked body takes a large-body slot once it
    // passes LargeBodyGate.UnknownSizeThreshold, so what it holds while it waits stays small).
    private static async Task<byte[]> ReadAllAsync(
        Stream body, long? declared, LargeBodyGate? gate, Action<IDisposable> onLease, BodyClock clock)
    {
        var cancellationToken = clock.Token;
        if (declared is { } length)
        {
            var exact = length == 0 ? Array.Empty<byte>() : GC.AllocateUninitializedArray<byte>((int)length);
            var filled = 0;
            while (filled < exact.Length)
            {
                var n = await body.ReadAsync(exact.AsMemory(filled), cancellationToken);
                if (n == 0) break;
                filled += n;
            }

            // A body shorter than declared: Kestrel reports it as a bad request before this; keep what came.
            return filled == exact.Length ? exact : exact[..filled];
        }

        var chunks = new List<byte[]>();
        var total = 0L;
        var leased = false;
        try
        {
            while (true)
            {
                var chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
                chunks.Add(chunk);
                var used = 0;
                while (used < chunk.Length)
                {
                    var n = await body.ReadAsync(chunk.AsMemory(used), cancellationToken);
                    if (n == 0) break;
                    used += n;
                    if (total + used > MaxBodyBytes) throw TooLarge();
                }

                total += used;
                if (!leased && gate is not null && total >= LargeBodyGate.UnknownSizeThreshold)
                {
                    clock.Pause();
                    onLease(await gate.EnterAsync(clock.RequestAborted));
                    clock.Start();
                    leased = true;
                }

                if (used < chunk.Length) break;
            }

            var result = total == 0 ? Array.Empty<byte>() : GC.AllocateUninitializedArray<byte>((int)total);
            var offset = 0;
            foreach (var chunk in chunks)
            {
                var count = (int)Math.Min(chunk.Length, total - offset);
                chunk.AsSpan(0, count).CopyTo(result.AsSpan(offset));
                offset += count;
            }

            return result;
        }
        finally
        {
            foreach (var chunk in chunks) ArrayPool<byte>.Shared.Return(chunk);
        }
    }
}
