using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace Mesa.Client;

/// <summary>
/// Converts JSON to plain .NET values PowerShell handles well: ordered string-keyed dictionaries, lists, strings,
/// <see cref="long"/> (or <see cref="BigInteger"/> when larger), <see cref="double"/>, booleans and null.
/// Objects and arrays show as their JSON when turned into text.
/// </summary>
public static class JsonPlain
{
    /// <summary>Converts one JSON element.</summary>
    public static object? ToPlain(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => ToDictionary(element),
        JsonValueKind.Array => new JsonPlainArray(element.EnumerateArray().Select(ToPlain)),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => ToNumber(element),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    /// <summary>Parses JSON text and converts it.</summary>
    public static object? Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return ToPlain(doc.RootElement);
    }

    // The canonical JSON of a plain value; null when it holds something JSON cannot carry (put there after conversion).
    internal static string? ToText(object value)
    {
        try
        {
            return CanonicalJson.ToCanonicalString(value);
        }
        catch (CanonicalJsonException)
        {
            return null;
        }
    }

    private static Dictionary<string, object?> ToDictionary(JsonElement element)
    {
        var map = new JsonPlainObject();
        foreach (var property in element.EnumerateObject())
        {
            map[property.Name] = ToPlain(property.Value);
        }

        return map;
    }

    private static object ToNumber(JsonElement element)
    {
        var raw = element.GetRawText();
        if (raw.AsSpan().IndexOfAny('.', 'e', 'E') >= 0) return element.GetDouble();
        if (element.TryGetInt64(out var l)) return l;
        return BigInteger.Parse(raw, CultureInfo.InvariantCulture);
    }
}
