using System.Text;
using System.Text.Json;
using Mesa.Client;

namespace Mesa.LocalServer.Http;

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
        var sb = new StringBuilder();
        Append(sb, value);
        return sb.ToString();
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
                    if (!last.ContainsKey(property.Name)) members.Add(property.Name);
                    last[property.Name] = property.Value;
                }

                sb.Append('{');
                for (var i = 0; i < members.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    sb.Append(Encoding.UTF8.GetString(CanonicalJson.FromObject(members[i]))).Append(':');
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
            default:
                sb.Append(Encoding.UTF8.GetString(CanonicalJson.FromElement(value)));
                break;
        }
    }
}
