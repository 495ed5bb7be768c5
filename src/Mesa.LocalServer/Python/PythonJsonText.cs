using System.Text;
using System.Text.Json;
using Mesa.Client;

namespace Mesa.LocalServer.Python;

/// <summary>
/// JSON text as the upstream server writes a parsed value back (Starlette's <c>json.dumps(value, ensure_ascii=False,
/// separators=(",", ":"))</c>): keys in their first-seen order (a repeated key keeps its place and takes the last value),
/// no whitespace, and strings and numbers exactly as canonical JSON writes them (Python's escapes and float repr).
/// </summary>
internal static class PythonJsonText
{
    /// <summary>The text of <paramref name="value"/>.</summary>
    /// <exception cref="CanonicalJsonException">A value Python could not write either (a lone surrogate, a non-finite number).</exception>
    public static string Write(JsonElement value)
    {
        // Sized from the raw text (the same length unless it had whitespace or other escapes), so a large payload is
        // built in one chunk rather than a chain of doublings.
        var sb = new StringBuilder(Math.Max(16, value.ValueKind is JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.String ? RawLength(value) : 16));
        Append(sb, value);
        return sb.ToString();
    }

    private static int RawLength(JsonElement value)
    {
        // JsonMarshal.GetRawUtf8Value gives the span without copying it.
        return System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(value).Length;
    }

    private static void Append(StringBuilder sb, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var members = new List<string>();
                var last = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                foreach (var property in value.EnumerateObject())
                {
                    var name = Name(property);
                    if (!last.ContainsKey(name)) members.Add(name);
                    last[name] = property.Value;
                }

                sb.Append('{');
                for (var i = 0; i < members.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    AppendString(sb, members[i]);
                    sb.Append(':');
                    Append(sb, last[members[i]]);
                }

                sb.Append('}');
                break;
            case JsonValueKind.Array:
                sb.Append('[');
                var first = true;
                foreach (var item in value.EnumerateArray())
                {
                    if (!first) sb.Append(',');
                    first = false;
                    Append(sb, item);
                }

                sb.Append(']');
                break;
            case JsonValueKind.String:
                var text = JsonStrings.Read(value, out _);
                AppendString(sb, text);
                break;
            case JsonValueKind.Number when value.GetRawText() is var raw && raw.AsSpan().IndexOfAny('.', 'e', 'E') < 0:
                sb.Append(raw == "-0" ? "0" : raw); // an integer is written back as its digits
                break;
            default:
                sb.Append(Encoding.UTF8.GetString(CanonicalJson.FromElement(value)));
                break;
        }
    }

    // A key holding an escaped lone surrogate cannot be written as UTF-8, by Python either.
    private static string Name(JsonProperty property)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException ex)
        {
            throw new CanonicalJsonException("$", "an object key holds a lone surrogate, which cannot be encoded as UTF-8", ex);
        }
    }

    // Most strings need no escape at all; the others go through canonical JSON for Python's exact escapes.
    private static void AppendString(StringBuilder sb, string text)
    {
        foreach (var c in text)
        {
            if (c < 0x20 || c == '"' || c == '\\' || char.IsSurrogate(c))
            {
                sb.Append(Encoding.UTF8.GetString(CanonicalJson.FromObject(text)));
                return;
            }
        }

        sb.Append('"').Append(text).Append('"');
    }
}
