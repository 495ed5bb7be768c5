namespace Mesa.LocalServer.Python;

/// <summary>
/// Checks JSON text exactly as Python's <c>json.loads</c> (CPython's C scanner, strict mode) does, which the upstream
/// server runs on every body. A syntax error carries Python's message and its position in code points, as
/// FastAPI reports it. Python also accepts the literals <c>NaN</c>, <c>Infinity</c> and <c>-Infinity</c>; their
/// places are returned so the caller can treat them as non-finite numbers (which canonical JSON then refuses).
/// </summary>
internal sealed class PythonJsonScanner
{
    // Python's int() refuses longer digit strings (sys.int_info.default_max_str_digits); json.loads then fails
    // with a ValueError that is not a JSONDecodeError, and FastAPI answers 400.
    public const int MaxIntegerDigits = 4300;

    // CPython gives up with RecursionError near this depth; FastAPI answers 400 for that too.
    public const int MaxDepth = 1000;

    private readonly string _s;
    private readonly List<Range> _nonFinite = new();
    private int _depth;

    private PythonJsonScanner(string text) => _s = text;

    /// <summary>Scans <paramref name="text"/>.</summary>
    /// <param name="text">The decoded body.</param>
    /// <param name="nonFiniteLiterals">Where NaN/Infinity/-Infinity literals are (UTF-16 ranges).</param>
    /// <returns>Null when Python would parse the text; else the syntax error.</returns>
    /// <exception cref="FormatException">Python would fail with an error other than a syntax error (too deep, integer too long).</exception>
    public static JsonSyntaxError? Check(string text, out IReadOnlyList<Range> nonFiniteLiterals)
    {
        var scanner = new PythonJsonScanner(text);
        nonFiniteLiterals = scanner._nonFinite;
        try
        {
            var end = scanner.SkipWhitespace(scanner.ScanOnce(scanner.SkipWhitespace(0)));
            if (end != text.Length)
            {
                throw scanner.Error("Extra data", end);
            }

            return null;
        }
        catch (JsonSyntaxException ex)
        {
            return ex.Error;
        }
    }

    private static bool IsWhitespace(char c) => c is ' ' or '\t' or '\n' or '\r';

    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    private static bool IsHex(char c) => c is (>= '0' and <= '9') or (>= 'a' and <= 'f') or (>= 'A' and <= 'F');

    private int SkipWhitespace(int idx)
    {
        while (idx < _s.Length && IsWhitespace(_s[idx])) idx++;
        return idx;
    }

    private bool Matches(int idx, string literal) =>
        idx + literal.Length <= _s.Length && string.CompareOrdinal(_s, idx, literal, 0, literal.Length) == 0;

    // scan_once: returns the index just past the value. Where CPython raises StopIteration (no value starts here),
    // every caller turns it into "Expecting value" at that index, so that error is raised directly.
    private int ScanOnce(int idx)
    {
        if (idx >= _s.Length) throw Error("Expecting value", idx);
        switch (_s[idx])
        {
            case '"': return ScanString(idx + 1);
            case '{': return Nested(idx, ParseObject);
            case '[': return Nested(idx, ParseArray);
            case 'n' when Matches(idx, "null"): return idx + 4;
            case 't' when Matches(idx, "true"): return idx + 4;
            case 'f' when Matches(idx, "false"): return idx + 5;
            case 'N' when Matches(idx, "NaN"): return NonFinite(idx, 3);
            case 'I' when Matches(idx, "Infinity"): return NonFinite(idx, 8);
            case '-' when Matches(idx, "-Infinity"): return NonFinite(idx, 9);
        }

        return MatchNumber(idx);
    }

    private int NonFinite(int idx, int length)
    {
        _nonFinite.Add(new Range(idx, idx + length));
        return idx + length;
    }

    private int Nested(int idx, Func<int, int> parse)
    {
        if (++_depth > MaxDepth) throw new FormatException("The JSON body is nested too deeply.");
        var end = parse(idx + 1);
        _depth--;
        return end;
    }

    private int MatchNumber(int start)
    {
        var idx = start;
        var last = _s.Length - 1;
        if (_s[idx] == '-')
        {
            idx++;
            if (idx > last) throw Error("Expecting value", start);
        }

        var c = _s[idx];
        if (c is >= '1' and <= '9')
        {
            idx++;
            while (idx <= last && IsDigit(_s[idx])) idx++;
        }
        else if (c == '0')
        {
            idx++;
        }
        else
        {
            throw Error("Expecting value", start);
        }

        var isFloat = false;
        if (idx < last && _s[idx] == '.' && IsDigit(_s[idx + 1]))
        {
            isFloat = true;
            idx += 2;
            while (idx <= last && IsDigit(_s[idx])) idx++;
        }

        if (idx < last && (_s[idx] == 'e' || _s[idx] == 'E'))
        {
            var exponentStart = idx;
            idx++;
            if (idx < last && (_s[idx] == '-' || _s[idx] == '+')) idx++;
            while (idx <= last && IsDigit(_s[idx])) idx++;
            if (IsDigit(_s[idx - 1])) isFloat = true;
            else idx = exponentStart;
        }

        if (!isFloat)
        {
            var digits = idx - start - (_s[start] == '-' ? 1 : 0);
            if (digits > MaxIntegerDigits) throw new FormatException("An integer in the JSON body has too many digits.");
        }

        return idx;
    }

    // _parse_object_unicode; idx is just past '{'.
    private int ParseObject(int idx)
    {
        var last = _s.Length - 1;
        idx = SkipWhitespace(idx);
        if (idx > last || _s[idx] != '}')
        {
            while (true)
            {
                if (idx > last || _s[idx] != '"')
                {
                    throw Error("Expecting property name enclosed in double quotes", idx);
                }

                idx = ScanString(idx + 1);
                idx = SkipWhitespace(idx);
                if (idx > last || _s[idx] != ':')
                {
                    throw Error("Expecting ':' delimiter", idx);
                }

                idx = SkipWhitespace(idx + 1);
                idx = ScanOnce(idx);
                idx = SkipWhitespace(idx);
                if (idx <= last && _s[idx] == '}') break;
                if (idx > last || _s[idx] != ',')
                {
                    throw Error("Expecting ',' delimiter", idx);
                }

                idx = SkipWhitespace(idx + 1);
            }
        }

        return idx + 1;
    }

    // _parse_array_unicode; idx is just past '['.
    private int ParseArray(int idx)
    {
        var last = _s.Length - 1;
        idx = SkipWhitespace(idx);
        if (idx > last || _s[idx] != ']')
        {
            while (true)
            {
                idx = ScanOnce(idx);
                idx = SkipWhitespace(idx);
                if (idx <= last && _s[idx] == ']') break;
                if (idx > last || _s[idx] != ',')
                {
                    throw Error("Expecting ',' delimiter", idx);
                }

                idx = SkipWhitespace(idx + 1);
            }
        }

        return idx + 1;
    }

    // scanstring_unicode; end is just past the opening quote.
    private int ScanString(int end)
    {
        var begin = end - 1;
        var len = _s.Length;
        while (true)
        {
            var next = end;
            for (; next < len; next++)
            {
                var d = _s[next];
                if (d == '"' || d == '\\') break;
                if (d <= '\u001f') throw Error("Invalid control character at", next);
            }

            if (next >= len) throw Error("Unterminated string starting at", begin);
            if (_s[next] == '"') return next + 1;

            next++;
            if (next == len) throw Error("Unterminated string starting at", begin);
            var c = _s[next];
            if (c != 'u')
            {
                end = next + 1;
                if (c is not ('"' or '\\' or '/' or 'b' or 'f' or 'n' or 'r' or 't'))
                {
                    throw Error("Invalid \\escape", end - 2);
                }
            }
            else
            {
                next++;
                end = next + 4;
                if (end >= len) throw Error("Invalid \\uXXXX escape", next - 1);
                for (; next < end; next++)
                {
                    if (!IsHex(_s[next])) throw Error("Invalid \\uXXXX escape", end - 5);
                }
            }
        }
    }

    private JsonSyntaxException Error(string message, int utf16Index)
    {
        // Python counts code points; a surrogate pair is one.
        var position = utf16Index;
        for (var i = 0; i + 1 < utf16Index && i + 1 < _s.Length; i++)
        {
            if (char.IsHighSurrogate(_s[i]) && char.IsLowSurrogate(_s[i + 1]))
            {
                position--;
                i++;
            }
        }

        return new JsonSyntaxException(new JsonSyntaxError(message, position));
    }
}
