using System.Text.Json;

namespace Mesa.Client;

/// <summary>
/// Finds nesting deeper than the canonical JSON limit in JSON text before it is parsed. System.Text.Json's document
/// parser slows down more than linearly on very deep text (10,000 levels took tens of milliseconds to seconds), so
/// deep text is refused here, in one forward pass that stops at the first level past the limit.
/// </summary>
internal static class JsonDepthGuard
{
    /// <summary>
    /// Refuses <paramref name="utf8Json"/> when its objects and arrays nest deeper than <see cref="CanonicalJson.MaxDepth"/>
    /// (plus <paramref name="outerLevels"/> that hold the value, such as an envelope around its payload), naming the
    /// JSON path (under <paramref name="root"/>) and the byte offset of the first container too many.
    /// Text that is not JSON passes: the parser reports it with its own message.
    /// </summary>
    /// <exception cref="CanonicalJsonException">The text nests too deeply.</exception>
    public static void Require(ReadOnlySpan<byte> utf8Json, string root = "$", int outerLevels = 0)
    {
        var maxDepth = CanonicalJson.MaxDepth + outerLevels;

        // Fewer brackets than the limit cannot nest past it: most texts are cleared by two vectorised counts.
        var brackets = utf8Json.Count((byte)'[');
        if (brackets <= maxDepth && brackets + utf8Json.Count((byte)'{') <= maxDepth) return;

        var frames = new PathFrame[Math.Max(1, Math.Min(maxDepth, 64))];
        var counts = new int[frames.Length]; // items seen so far in each open array; -1 for an object
        var depth = 0;
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = maxDepth + 1 });
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        frames[depth - 1].SetKey(KeyOf(ref reader));
                        continue;
                    case JsonTokenType.EndArray or JsonTokenType.EndObject:
                        frames[--depth] = default;
                        continue;
                }

                // A value: inside an array it takes the next index.
                if (depth > 0 && counts[depth - 1] >= 0) frames[depth - 1].SetIndex(counts[depth - 1]++);
                if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject)
                {
                    if (depth == maxDepth)
                    {
                        throw new CanonicalJsonException(
                            PathFrame.Format(frames.AsSpan(0, depth), root),
                            $"nesting is deeper than {CanonicalJson.MaxDepth} levels of objects and arrays (at byte {reader.TokenStartIndex} of the text); flatten the value.");
                    }

                    if (depth == frames.Length)
                    {
                        Array.Resize(ref frames, Math.Min(maxDepth, frames.Length * 2));
                        Array.Resize(ref counts, frames.Length);
                    }

                    counts[depth] = reader.TokenType == JsonTokenType.StartArray ? 0 : -1;
                    frames[depth++] = new PathFrame(null);
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON (or not complete): left to the parser, whose message says what is wrong.
        }
    }

    private static string KeyOf(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString() ?? "";
        }
        catch (InvalidOperationException)
        {
            return "?"; // a key UTF-8 cannot hold; the parse that follows would have refused it by name
        }
    }
}
