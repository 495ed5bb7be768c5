using System.Globalization;
using System.Text.Json;

namespace Mesa.LocalServer.Validation;

/// <summary>
/// One request validation problem in FastAPI/pydantic v2 form: <c>{type, loc, msg, input, ctx?}</c>.
/// <c>loc</c> holds strings and integers, such as <c>["body", "capabilities", 0]</c>.
/// </summary>
internal sealed class ValidationProblem(
    string type, IReadOnlyList<object> loc, string msg, object? input, IReadOnlyList<KeyValuePair<string, object?>>? ctx = null)
{
    public string Type { get; } = type;

    public IReadOnlyList<object> Loc { get; } = loc;

    public string Msg { get; } = msg;

    /// <summary>What was sent: a <see cref="JsonElement"/>, a string, null or <see cref="EmptyJsonObject"/>.</summary>
    /// <remarks>An element is copied: the problem is written after the request's document is disposed.</remarks>
    public object? Input { get; } = input is JsonElement element ? element.Clone() : input;

    public IReadOnlyList<KeyValuePair<string, object?>>? Ctx { get; } = ctx;

    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("type", Type);
        writer.WriteStartArray("loc");
        foreach (var part in Loc)
        {
            if (part is int index) writer.WriteNumberValue(index);
            else if (part is RawJsonString raw) writer.WriteRawValue(raw.Json, skipInputValidation: true);
            else writer.WriteStringValue(Convert.ToString(part, CultureInfo.InvariantCulture));
        }

        writer.WriteEndArray();
        writer.WriteString("msg", Msg);
        writer.WritePropertyName("input");
        ProblemValueWriter.Write(writer, Input);
        if (Ctx is not null)
        {
            writer.WriteStartObject("ctx");
            foreach (var (key, value) in Ctx)
            {
                writer.WritePropertyName(key);
                ProblemValueWriter.Write(writer, value);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    public string Describe() => $"{string.Join(".", Loc.Select(p => Convert.ToString(p, CultureInfo.InvariantCulture)))}: {Msg}";
}
