using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Mesa.LocalServer.Http;

/// <summary>Writes JSON answers: compact, non-ASCII left as UTF-8, with a Content-Length.</summary>
internal static class JsonResponse
{
    /// <summary>The writer settings every answer uses.</summary>
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    /// <summary>Writes <paramref name="write"/>'s JSON with <paramref name="status"/>.</summary>
    public static Task WriteAsync<TState>(HttpContext context, int status, TState state, Action<Utf8JsonWriter, TState> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer, state);
        }

        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength = buffer.WrittenCount;
        return response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).AsTask();
    }

    /// <summary>Writes <c>{"detail": ...}</c> for <paramref name="error"/>.</summary>
    public static Task WriteErrorAsync(HttpContext context, ApiError error)
    {
        foreach (var (name, value) in error.Headers)
        {
            context.Response.Headers[name] = value;
        }

        return WriteAsync(context, error.Status, error.Detail, static (w, detail) =>
        {
            w.WriteStartObject();
            w.WritePropertyName("detail");
            detail.WriteTo(w);
            w.WriteEndObject();
        });
    }
}
