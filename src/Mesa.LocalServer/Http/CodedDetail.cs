using System.Text.Json;

namespace Mesa.LocalServer.Http;

/// <summary>A structured detail: <c>{"code", "message", ...extras}</c>; extras keep their order.</summary>
internal sealed class CodedDetail(string code, string message, IReadOnlyList<KeyValuePair<string, string?>>? extras = null) : ErrorDetail
{
    public string Code { get; } = code;

    public string Message { get; } = message;

    public IReadOnlyList<KeyValuePair<string, string?>> Extras { get; } = extras ?? Array.Empty<KeyValuePair<string, string?>>();

    public override void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("code", Code);
        writer.WriteString("message", Message);
        foreach (var (key, value) in Extras)
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
    }

    public override string Describe() => $"{Code}: {Message}";
}
