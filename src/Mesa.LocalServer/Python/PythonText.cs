using System.Globalization;
using System.Text;

namespace Mesa.LocalServer.Python;

/// <summary>Python's view of text, where the upstream server's answers depend on it: code point lengths, <c>str.strip()</c>, <c>repr()</c>.</summary>
internal static class PythonText
{
    /// <summary>Python's <c>str.isspace()</c> for one UTF-16 unit (.NET's set plus U+001C..U+001F).</summary>
    public static bool IsSpace(char c) => char.IsWhiteSpace(c) || (c >= '\u001c' && c <= '\u001f');

    /// <summary><c>str.strip()</c>.</summary>
    public static string Strip(string value)
    {
        var start = 0;
        var end = value.Length;
        while (start < end && IsSpace(value[start])) start++;
        while (end > start && IsSpace(value[end - 1])) end--;
        return start == 0 && end == value.Length ? value : value[start..end];
    }

    /// <summary><c>len(str)</c>: code points; a lone surrogate counts as one.</summary>
    public static int Length(string value)
    {
        var length = value.Length;
        for (var i = 0; i + 1 < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && char.IsLowSurrogate(value[i + 1]))
            {
                length--;
                i++;
            }
        }

        return length;
    }

    /// <summary>Python's <c>repr()</c> of a string.</summary>
    public static string Repr(string value)
    {
        var quote = value.Contains('\'') && !value.Contains('"') ? '"' : '\'';
        var sb = new StringBuilder(value.Length + 2).Append(quote);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == quote || c == '\\')
            {
                sb.Append('\\').Append(c);
                continue;
            }

            switch (c)
            {
                case '\t': sb.Append("\\t"); continue;
                case '\n': sb.Append("\\n"); continue;
                case '\r': sb.Append("\\r"); continue;
            }

            int codePoint;
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                codePoint = char.ConvertToUtf32(c, value[i + 1]);
            }
            else
            {
                codePoint = c;
            }

            if (IsPrintable(codePoint))
            {
                sb.Append(char.ConvertFromUtf32(codePoint));
            }
            else if (codePoint < 0x100)
            {
                sb.Append("\\x").Append(codePoint.ToString("x2", CultureInfo.InvariantCulture));
            }
            else if (codePoint < 0x10000)
            {
                sb.Append("\\u").Append(codePoint.ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append("\\U").Append(codePoint.ToString("x8", CultureInfo.InvariantCulture));
            }

            if (codePoint > 0xFFFF) i++;
        }

        return sb.Append(quote).ToString();
    }

    /// <summary>Python's <c>repr()</c> of a list of strings: <c>['a', 'b']</c>.</summary>
    public static string ReprList(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(Repr)) + "]";

    /// <summary>Python's <c>repr()</c> of a tuple of strings: <c>('a', 'b')</c>.</summary>
    public static string ReprTuple(IReadOnlyCollection<string> values) =>
        "(" + string.Join(", ", values.Select(Repr)) + (values.Count == 1 ? ",)" : ")");

    /// <summary>Python's <c>sorted()</c> order for strings (code point order).</summary>
    public static int CompareOrdinalCodePoints(string? a, string? b)
    {
        if (ReferenceEquals(a, b)) return 0;
        if (a is null) return -1;
        if (b is null) return 1;
        var ea = a.EnumerateRunes();
        var eb = b.EnumerateRunes();
        while (true)
        {
            var ha = ea.MoveNext();
            var hb = eb.MoveNext();
            if (!ha || !hb) return ha == hb ? 0 : (ha ? 1 : -1);
            var c = ea.Current.Value.CompareTo(eb.Current.Value);
            if (c != 0) return c;
        }
    }

    private static bool IsPrintable(int codePoint)
    {
        if (codePoint == ' ') return true;
        if (codePoint >= 0xD800 && codePoint <= 0xDFFF) return false;
        return CharUnicodeInfo.GetUnicodeCategory(codePoint) switch
        {
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
                or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                or UnicodeCategory.SpaceSeparator => false,
            _ => true,
        };
    }
}
