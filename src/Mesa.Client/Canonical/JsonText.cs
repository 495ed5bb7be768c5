using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Mesa.Client;

/// <summary>Encoding checks for JSON text on its way into canonical JSON: no lone surrogates, no invalid UTF-8.</summary>
internal static class JsonText
{
    /// <summary>The index of the first unpaired surrogate in <paramref name="text"/>, or -1 when it is well-formed UTF-16.</summary>
    public static int FindLoneSurrogate(ReadOnlySpan<char> text)
    {
        var offset = 0;
        while (true)
        {
            var i = text[offset..].IndexOfAnyInRange('\uD800', '\uDFFF');
            if (i < 0) return -1;
            i += offset;
            if (!char.IsHighSurrogate(text[i]) || i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1])) return i;
            offset = i + 2;
        }
    }

    /// <summary>
    /// Encodes JSON text as UTF-8. A raw lone surrogate cannot be encoded, and Python would refuse the string holding it;
    /// instead of silently becoming U+FFFD it is written as <c>\udc00\udc00</c>: two low-surrogate escapes, of which at
    /// least the second can never pair with a neighbouring escape, so reading the string fails with its JSON path.
    /// </summary>
    /// <exception cref="CanonicalJsonException">A lone surrogate follows a backslash, where no escape can stand in for it.</exception>
    public static byte[] ToUtf8(string json)
    {
        var bad = FindLoneSurrogate(json);
        if (bad < 0) return Encoding.UTF8.GetBytes(json);

        var sb = new StringBuilder(json.Length + 16);
        var start = 0;
        while (bad >= 0)
        {
            var backslashes = 0;
            for (var j = bad - 1; j >= start && json[j] == '\\'; j--) backslashes++;
            if (backslashes % 2 == 1)
            {
                throw new CanonicalJsonException(
                    "$", $"the text is not valid JSON: a backslash at character {bad - 1} is followed by the lone surrogate U+{(int)json[bad]:X4}.");
            }

            sb.Append(json, start, bad - start).Append(@"\udc00\udc00");
            start = bad + 1;
            var next = FindLoneSurrogate(json.AsSpan(start));
            bad = next < 0 ? -1 : start + next;
        }

        sb.Append(json, start, json.Length - start);
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    /// <summary>Refuses bytes that are not well-formed UTF-8 (System.Text.Json would otherwise pass them through).</summary>
    /// <exception cref="CanonicalJsonException">The bytes are not UTF-8.</exception>
    public static void RequireValidUtf8(ReadOnlySpan<byte> utf8)
    {
        if (Utf8.IsValid(utf8)) return;

        Span<char> scratch = stackalloc char[256];
        var offset = 0;
        while (true)
        {
            var status = Utf8.ToUtf16(utf8[offset..], scratch, out var read, out _, replaceInvalidSequences: false);
            offset += read;
            if (status != OperationStatus.DestinationTooSmall) break;
        }

        throw new CanonicalJsonException(
            "$", $"the text is not valid UTF-8 (bad byte 0x{utf8[offset]:x2} at offset {offset}); send JSON as UTF-8.");
    }
}
