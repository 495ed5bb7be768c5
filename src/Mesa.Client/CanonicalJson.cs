using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mesa.Client;

/// <summary>
/// Mesa canonical JSON (protocol section 2): the exact bytes Python's
/// <c>json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)</c> gives, UTF-8 encoded.
/// </summary>
/// <remarks>
/// .NET values map as follows: dictionaries with string keys become objects; other enumerables become arrays;
/// every integer type (including <see cref="System.Numerics.BigInteger"/>) is written as digits; <see cref="double"/>
/// and <see cref="float"/> as Python's <c>repr(float)</c> (a float uses its own shortest digits); <see cref="decimal"/>
/// as the nearest double; <see cref="DateTime"/> and <see cref="DateTimeOffset"/> as a UTC ISO-8601 string with
/// microseconds and <c>Z</c> (an unspecified DateTime kind is taken as UTC); enums as their name; <see cref="Guid"/>
/// as its hyphenated lowercase form. Parsed JSON keeps each number's kind: integers stay integers of any size.
/// </remarks>
public static class CanonicalJson
{
    /// <summary>The deepest nesting of objects and arrays accepted.</summary>
    public const int MaxDepth = 256;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth + 1 };

    /// <summary>Canonical bytes of a JSON text.</summary>
    /// <exception cref="CanonicalJsonException">The text is not JSON, or holds something canonical JSON refuses.</exception>
    public static byte[] FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return FromJson(Encoding.UTF8.GetBytes(json));
    }

    /// <summary>Canonical bytes of a UTF-8 JSON text.</summary>
    public static byte[] FromJson(ReadOnlySpan<byte> utf8Json)
    {
        using var document = Parse(utf8Json);
        return FromElement(document.RootElement);
    }

    /// <summary>Canonical bytes of a parsed JSON element.</summary>
    public static byte[] FromElement(JsonElement element)
    {
        var writer = new CanonicalJsonWriter();
        writer.WriteElement(element);
        return writer.ToArray();
    }

    /// <summary>Canonical bytes of a JSON node tree.</summary>
    public static byte[] FromNode(JsonNode? node)
    {
        var writer = new CanonicalJsonWriter();
        writer.WriteNode(node);
        return writer.ToArray();
    }

    /// <summary>Canonical bytes of a .NET value graph (see the type remarks for the mapping).</summary>
    public static byte[] FromObject(object? value)
    {
        var writer = new CanonicalJsonWriter();
        writer.WriteValue(value);
        return writer.ToArray();
    }

    /// <summary>Canonical JSON as a string (the UTF-8 bytes decoded).</summary>
    public static string ToCanonicalString(object? value) => Encoding.UTF8.GetString(FromObject(value));

    /// <summary>Parses JSON text with the limits canonical JSON uses, failing with a <see cref="CanonicalJsonException"/>.</summary>
    internal static JsonDocument Parse(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            return JsonDocument.Parse(utf8Json.ToArray(), DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw new CanonicalJsonException(ex.Path ?? "$", $"the text is not valid JSON ({ex.Message}).", ex);
        }
    }
}
