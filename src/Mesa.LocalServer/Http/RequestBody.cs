using System.Text.Json;

namespace Mesa.LocalServer.Http;

/// <summary>A read request body. Disposing it releases the parsed document (and a large body's slot).</summary>
internal sealed class RequestBody : IDisposable
{
    private readonly JsonDocument? _document;
    private IDisposable? _lease;

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

    public static RequestBody FromJson(JsonDocument document) => new(RequestBodyKind.Json, document, null);

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
        _document?.Dispose();
        Interlocked.Exchange(ref _lease, null)?.Dispose();
    }
}
