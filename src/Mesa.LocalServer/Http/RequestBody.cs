using System.Text.Json;

namespace Mesa.LocalServer.Http;

/// <summary>A read request body. Disposing it releases the parsed document (and a large body's slot).</summary>
internal sealed class RequestBody : IDisposable
{
    private readonly JsonDocument? _document;
    private IDisposable? _lease;
    private bool _pooled = true;

    private RequestBody(RequestBodyKind kind, JsonDocument? document, string? rawText)
    {
        Kind = kind;
        _document = document;
        RawText = rawText;
    }

    public static RequestBody Empty { get; } = new(RequestBodyKind.Empty, null, null);

    public RequestBodyKind Kind { get; }

    /// <summary>The parsed JSON (only for <see cref="RequestBodyKind.Json"/>).</summary>
    public JsonElement Root => _document?.RootElement ?? throw new InvalidOperationException("The body is not JSON.");

    /// <summary>The text of a non-JSON body.</summary>
    public string? RawText { get; }

    /// <summary>
    /// A parsed body of <paramref name="length"/> bytes. A large one's document is left to the GC instead of disposed:
    /// disposing returns its buffers (tens of MB) to the shared array pool, which keeps them per thread indefinitely.
    /// </summary>
    public static RequestBody FromJson(JsonDocument document, int length) =>
        new(RequestBodyKind.Json, document, null) { _pooled = length < LargeBodyGate.Threshold };

    public static RequestBody FromRaw(string text) => new(RequestBodyKind.Raw, null, text);

    /// <summary>Keeps <paramref name="lease"/> until this body is disposed.</summary>
    public RequestBody Holding(IDisposable? lease)
    {
        if (lease is null) return this;
        if (ReferenceEquals(this, Empty))
        {
            lease.Dispose();
            return this;
        }

        _lease = lease;
        return this;
    }

    public void Dispose()
    {
        if (_pooled) _document?.Dispose();
        Interlocked.Exchange(ref _lease, null)?.Dispose();
    }
}
