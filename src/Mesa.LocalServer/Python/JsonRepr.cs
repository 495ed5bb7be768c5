using System.Text;
using System.Text.Json;
using Mesa.Client;

namespace Mesa.LocalServer.Python;

/// <summary>Python's <c>repr()</c> of a parsed JSON value (<c>{'a': [1, 2.0, True, None]}</c>), for schema messages.</summary>
internal static class JsonRepr
{
    public static string Of(JsonElement value)
    {
        var sb = new StringBuilder();
        Append(sb, value);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                sb.Append(PythonText.Repr(JsonStrings.Read(value, out _)));
                break;
            case JsonValueKind.Number:
                // Canonical JSON writes integers as digits and floats as Python's repr.
                sb.Append(Encoding.UTF8.GetString(CanonicalJson.FromElement(value)));
                break;
            case JsonValueKind.True: sb.Append("True"); break;
            case JsonValueKind.False: sb.Append("False"); break;
            case JsonValueKind.Array:
                sb.Append('[');
                var first = true;
                foreach (var item in value.EnumerateArray())
                {
                    if (!first) sb.Append(", ");
                    first = false;
                    Append(sb, item);
                }

                sb.Append(']');
                break;
            case JsonValueKind.Object:
                sb.Append('{');
                var firstMember = true;
                foreach (var property in value.EnumerateObject())
                {
                    if (!firstMember) sb.Append(", ");
                    firstMember = false;
                    sb.Append(PythonText.Repr(property.Name)).Append(": ");
                    Append(sb, property.Value);
                }

                sb.Append('}');
                break;
            default:
                sb.Append("None");
                break;
        }
    }
}
