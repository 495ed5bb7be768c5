using System.Text;

namespace Mesa.Client;

/// <summary>
/// Hides a secret (the admin token) in text a server sent back, whatever the escaping: the plain token, and the token
/// written with JSON escapes (<c>\u0053...</c> in any case, <c>\"</c>, <c>\\</c>, <c>\/</c>, as <c>json.dumps</c> writes it)
/// or percent-escapes (<c>%2F</c>, as in a URI), mixed with plain characters or not. The one redaction helper of the
/// client: logs, messages, bodies, redirect targets and parsed details all go through it.
/// </summary>
internal static class SecretRedactor
{
    /// <summary>What a secret is replaced with.</summary>
    public const string Redacted = "<redacted>";

    /// <summary>
    /// Redacts text of any origin (a response body, a parsed JSON string, a message, a URI): the plain secret, then
    /// every stretch that spells it with JSON escapes or percent-escapes, mixed or not. Returns the same instance when
    /// nothing was found; null or empty secret: the text as it is.
    /// </summary>
    public static string? Redact(string? text, string? secret)
    {
        if (text is null || string.IsNullOrEmpty(secret)) return text;
        var plain = text.Contains(secret, StringComparison.Ordinal) ? text.Replace(secret, Redacted, StringComparison.Ordinal) : text;
        return plain.AsSpan().IndexOfAny('\\', '%') < 0 ? plain : RedactEscaped(plain, secret);
    }

    /// <summary>Redacts every string (values and keys, at any depth) of a parsed detail in JsonPlain's shapes.</summary>
    public static object? RedactValue(object? value, string? secret)
    {
        if (string.IsNullOrEmpty(secret)) return value;
        return value switch
        {
            string text => Redact(text, secret),
            IReadOnlyDictionary<string, object?> map => RedactMap(map, secret),
            // JsonPlain's own shapes again, so a redacted detail still reads as its JSON when shown as text.
            IReadOnlyList<object?> list => new JsonPlainArray(list.Select(item => RedactValue(item, secret))),
            // A token of digits echoed as a JSON number (or inside one) would otherwise survive in .Detail.
            IFormattable number when number.ToString(null, System.Globalization.CultureInfo.InvariantCulture).Contains(secret, StringComparison.Ordinal) => Redacted,
            _ => value,
        };
    }

    /// <summary>
    /// <see cref="Redact"/> for a body that was cut short: also hides a beginning of the secret (plain or escaped)
    /// left at the very end, where the cut went through it, so no part of the token survives the cut.
    /// </summary>
    public static string? RedactCut(string? text, string? secret)
    {
        var redacted = Redact(text, secret);
        if (string.IsNullOrEmpty(redacted) || string.IsNullOrEmpty(secret)) return redacted;
        // A cut inside an escape ("%6", "\u00") leaves it undecoded: the token's beginning is then looked for before it.
        var partial = PartialEscapeAt(redacted);
        foreach (var end in partial < 0 ? [redacted.Length] : new[] { redacted.Length, partial })
        {
            var (decoded, starts, _) = Decode(redacted[..end]);
            for (var k = Math.Min(secret.Length - 1, decoded.Length); k >= 1; k--)
            {
                if (decoded.EndsWith(secret[..k], StringComparison.Ordinal))
                {
                    return redacted[..starts[decoded.Length - k]] + Redacted;
                }
            }
        }

        return redacted;
    }

    // Where an escape cut short by the end of the text begins ("%", "%6", "\", "\u", "\u00f"), or -1.
    private static int PartialEscapeAt(string text)
    {
        for (var back = 1; back <= Math.Min(5, text.Length); back++)
        {
            var i = text.Length - back;
            var rest = text.AsSpan(i + 1);
            if (text[i] == '%' && back <= 2 && IsHex(rest)) return i;
            if (text[i] == '\\' && (back == 1 || (rest[0] == 'u' && IsHex(rest[1..])))) return i;
        }

        return -1;
    }

    private static JsonPlainObject RedactMap(IReadOnlyDictionary<string, object?> map, string secret)
    {
        var result = new JsonPlainObject();
        foreach (var (key, item) in map)
        {
            result[Redact(key, secret)!] = RedactValue(item, secret); // two keys that redact alike: the last wins, as in JSON
        }

        return result;
    }

    // Decodes the text unit by unit (a JSON escape or one plain character), remembering where each decoded character
    // came from, finds the secret in the decoded form and cuts the raw stretches that spell it.
    private static string RedactEscaped(string raw, string secret)
    {
        var (text, starts, ends) = Decode(raw);
        var cuts = new List<(int Start, int End)>();
        for (var at = text.IndexOf(secret, StringComparison.Ordinal); at >= 0; at = text.IndexOf(secret, at + secret.Length, StringComparison.Ordinal))
        {
            cuts.Add((starts[at], ends[at + secret.Length - 1]));
        }

        if (cuts.Count == 0) return raw;
        var result = new StringBuilder(raw.Length);
        var from = 0;
        foreach (var (start, end) in cuts)
        {
            result.Append(raw, from, start - from).Append(Redacted);
            from = end;
        }

        return result.Append(raw, from, raw.Length - from).ToString();
    }

    // The JSON-unescaped text, with where each of its characters starts and ends in the raw text.
    private static (string Text, List<int> Starts, List<int> Ends) Decode(string raw)
    {
        var decoded = new StringBuilder(raw.Length);
        var starts = new List<int>(raw.Length);
        var ends = new List<int>(raw.Length);
        for (var i = 0; i < raw.Length;)
        {
            var length = DecodeUnit(raw, i, out var c);
            decoded.Append(c);
            starts.Add(i);
            ends.Add(i + length);
            i += length;
        }

        return (decoded.ToString(), starts, ends);
    }

    private static int DecodeUnit(string raw, int i, out char c)
    {
        c = raw[i];
        if (c == '%' && i + 3 <= raw.Length && IsHex(raw.AsSpan(i + 1, 2)))
        {
            // A token is printable ASCII (the client refuses others), so one percent-escape is one character of it.
            c = (char)Convert.ToInt32(raw.Substring(i + 1, 2), 16);
            return 3;
        }

        if (c != '\\' || i + 1 >= raw.Length) return 1;
        switch (raw[i + 1])
        {
            case '"': c = '"'; return 2;
            case '\\': c = '\\'; return 2;
            case '/': c = '/'; return 2;
            case 'b': c = '\b'; return 2;
            case 'f': c = '\f'; return 2;
            case 'n': c = '\n'; return 2;
            case 'r': c = '\r'; return 2;
            case 't': c = '\t'; return 2;
            case 'u' when i + 6 <= raw.Length && IsHex(raw.AsSpan(i + 2, 4)):
                c = (char)Convert.ToInt32(raw.Substring(i + 2, 4), 16);
                return 6;
            default:
                return 1;
        }
    }

    private static bool IsHex(ReadOnlySpan<char> span)
    {
        foreach (var ch in span)
        {
            if (!char.IsAsciiHexDigit(ch)) return false;
        }

        return true;
    }
}
