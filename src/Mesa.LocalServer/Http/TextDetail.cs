using System.Text.Json;

namespace Mesa.LocalServer.Http;

/// <summary>A plain string detail, such as <c>"principal not found"</c>.</summary>
internal sealed class TextDetail(string text) : ErrorDetail
{
    public string Text { get; } = text;

    public override void WriteTo(Utf8JsonWriter writer) => writer.WriteStringValue(Text);

    public override string Describe() => Text;
}
