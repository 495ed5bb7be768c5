using System.Globalization;
using System.Text.Json;
using Mesa.LocalServer.Python;

namespace Mesa.LocalServer.Validation;

/// <summary>Writes the values a validation problem carries (inputs and context).</summary>
internal static class ProblemValueWriter
{
    public static void Write(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case JsonElement element: WriteElement(writer, element); break;
            case string text: writer.WriteStringValue(text); break;
            case RawJsonString raw: writer.WriteRawValue(raw.Json, skipInputValidation: true); break;
            case int i: writer.WriteNumberValue(i); break;
            case long l: writer.WriteNumberValue(l); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case EmptyJsonObject:
                writer.WriteStartObject();
                writer.WriteEndObject();
                break;
            default: writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }

    // The input echoes what the client sent, written back as Python writes it; what Python could not write either
    // (a lone surrogate, an overflowing number) keeps its raw text.
    private static void WriteElement(Utf8JsonWriter writer, JsonElement element)
    {
        string text;
        try
        {
            text = PythonJsonText.Write(element);
        }
        catch (Mesa.Client.CanonicalJsonException)
        {
            text = element.GetRawText();
        }

        writer.WriteRawValue(text, skipInputValidation: true);
    }
}
