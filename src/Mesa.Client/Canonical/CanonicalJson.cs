using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mesa.Client;

/// <summary>
/// Mesa canonical JSON (protocol section 2): the exact bytes Python's
/// <c>json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)</c> gives, UTF-8 encoded.
/// </summary>
/// <remarks>
/// <para>.NET values map as follows: dictionaries with string keys (<see cref="System.Collections.IDictionary"/> such as
/// <see cref="System.Collections.Hashtable"/> and <see cref="System.Collections.Specialized.OrderedDictionary"/>, and
/// generic <c>IDictionary&lt;string, T&gt;</c>/<c>IReadOnlyDictionary&lt;string, T&gt;</c>) become objects; other
/// enumerables become arrays; every integer type (including <see cref="System.Numerics.BigInteger"/>) is written as
/// digits; <see cref="double"/> as Python's <c>repr(float)</c>, <see cref="float"/> the same from its own shortest digits
/// (0.1f is 0.1); <see cref="decimal"/> as the nearest double; <see cref="DateTime"/> and <see cref="DateTimeOffset"/> as a
/// UTC ISO-8601 string with microseconds and <c>Z</c> (<c>2026-05-08T09:30:00.000000Z</c>; a local DateTime is converted,
/// an unspecified kind is taken as UTC); enums as their member name; <see cref="Guid"/> as its hyphenated lowercase form.
/// Parsed JSON keeps each number's kind: integers stay integers of any size.</para>
/// <para>Refused, with a <see cref="CanonicalJsonException"/> naming the JSON path: NaN and ±Infinity, lone surrogates,
/// invalid UTF-8, unsupported types, non-string keys, enum values without a name, reference cycles, and nesting deeper
/// than <see cref="MaxDepth"/>.</para>
/// </remarks>
public static class CanonicalJson
{
    /// <summary>The deepest nesting of objects and arrays accepted.</summary>
    public const int MaxDepth = 256;

    // The parser itself has no depth limit (it is not recursive); the writer enforces MaxDepth and names the path.
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = int.MaxValue };

    /// <summary>Canonical bytes of a JSON text.</summary>
    /// <exception cref="CanonicalJsonException">The text is not JSON, or holds something canonical JSON refuses.</exception>
    public static byte[] FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = Parse(json);
        return FromElement(document.RootElement);
    }

    /// <summary>Canonical bytes of a UTF-8 JSON text.</summary>
    /// <exception cref="CanonicalJsonException">The text is not UTF-8 JSON, or holds something canonical JSON refuses.</exception>
    public static byte[] FromJson(ReadOnlySpan<byte> utf8Json)
    {
        JsonText.RequireValidUtf8(utf8Json);
        var copy = ArrayPool<byte>.Shared.Rent(utf8Json.Length);
        try
        {
            utf8Json.CopyTo(copy);
            using var document = ParseValidated(copy.AsMemory(0, utf8Json.Length));
            return FromElement(document.RootElement);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    /// <summary>Canonical bytes of a parsed JSON element.</summary>
    /// <exception cref="CanonicalJsonException">The element holds something canonical JSON refuses.</exception>
    public static byte[] FromElement(JsonElement element)
    {
        var writer = CanonicalJsonWriter.Rent();
        try
        {
            writer.WriteElement(element);
            return writer.ToArray();
        }
        finally
        {
            CanonicalJsonWriter.Return(writer);
        }
    }

    /// <summary>Canonical bytes of a JSON node tree.</summary>
    /// <exception cref="CanonicalJsonException">The tree holds something canonical JSON refuses.</exception>
    public static byte[] FromNode(JsonNode? node)
    {
        var writer = CanonicalJsonWriter.Rent();
        try
        {
            writer.WriteNode(node);
            return writer.ToArray();
        }
        finally
        {
            CanonicalJsonWriter.Return(writer);
        }
    }

    /// <summary>Canonical bytes of a .NET value graph (see the type remarks for the mapping).</summary>
    /// <exception cref="CanonicalJsonException">The value holds something canonical JSON refuses.</exception>
    public static byte[] FromObject(object? value)
    {
        var writer = CanonicalJsonWriter.Rent();
        try
        {
            writer.WriteValue(value);
            return writer.ToArray();
        }
        finally
        {
            CanonicalJsonWriter.Return(writer);
        }
    }

    /// <summary>Canonical JSON as a string (the UTF-8 bytes decoded).</summary>
    /// <exception cref="CanonicalJsonException">The value holds something canonical JSON refuses.</exception>
    public static string ToCanonicalString(object? value) => Encoding.UTF8.GetString(FromObject(value));

    /// <summary>
    /// Parses JSON text with the rules canonical JSON uses, failing with a <see cref="CanonicalJsonException"/>;
    /// nesting deeper than <see cref="MaxDepth"/> (below <paramref name="outerLevels"/> that hold the value) is refused
    /// before parsing, with the path under <paramref name="root"/>.
    /// </summary>
    internal static JsonDocument Parse(string json, string root = "$", int outerLevels = 0) =>
        ParseValidated(JsonText.ToUtf8(json), root, outerLevels);

    /// <summary>Parses UTF-8 JSON text the caller keeps alive and unchanged while the document is in use.</summary>
    internal static JsonDocument Parse(ReadOnlyMemory<byte> utf8Json, string root = "$", int outerLevels = 0)
    {
        JsonText.RequireValidUtf8(utf8Json.Span);
        return ParseValidated(utf8Json, root, outerLevels);
    }

    private static JsonDocument ParseValidated(ReadOnlyMemory<byte> utf8Json, string root = "$", int outerLevels = 0)
    {
        // Linear in the text, where the document parser is not on very deep nesting.
        JsonDepthGuard.Require(utf8Json.Span, root, outerLevels);
        try
        {
            return JsonDocument.Parse(utf8Json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw new CanonicalJsonException("$", $"the text is not valid JSON ({ex.Message}).", ex);
        }
    }
}
