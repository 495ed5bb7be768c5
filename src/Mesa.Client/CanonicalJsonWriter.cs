using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mesa.Client;

/// <summary>
/// Writes values as mesa canonical JSON (protocol section 2): sorted keys by code point, no whitespace,
/// Python's string escapes and float repr. One instance per document; not thread-safe.
/// </summary>
internal sealed class CanonicalJsonWriter
{
    private static readonly byte[] Null = "null"u8.ToArray();
    private static readonly byte[] True = "true"u8.ToArray();
    private static readonly byte[] False = "false"u8.ToArray();

    private readonly ArrayBufferWriter<byte> _out;
    private readonly List<object> _path = new();
    private readonly HashSet<object> _open = new(ReferenceEqualityComparer.Instance);
    private readonly string _root;

    public CanonicalJsonWriter(int initialCapacity = 256, string root = "$")
    {
        _out = new ArrayBufferWriter<byte>(initialCapacity);
        _root = root;
    }

    public ReadOnlySpan<byte> WrittenSpan => _out.WrittenSpan;

    public byte[] ToArray() => _out.WrittenSpan.ToArray();

    public void WriteRaw(ReadOnlySpan<byte> utf8) => _out.Write(utf8);

    public void WriteValue(object? value)
    {
        switch (value)
        {
            case null: _out.Write(Null); return;
            case string s: WriteString(s); return;
            case bool b: _out.Write(b ? True : False); return;
            case int i: WriteAscii(i); return;
            case long l: WriteAscii(l); return;
            case double d: WriteDouble(d); return;
            case JsonElement e: WriteElement(e); return;
            case JsonNode n: WriteNode(n); return;
            case JsonDocument doc: WriteElement(doc.RootElement); return;
            case char c: WriteString(c.ToString()); return;
            case byte or sbyte or short or ushort or uint or ulong or BigInteger or Int128 or UInt128:
                WriteAscii((IFormattable)value);
                return;
            case float f: WriteDouble(double.Parse(f.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)); return;
            case Half h: WriteDouble((double)h); return;
            case decimal m: WriteDouble((double)m); return;
            case DateTimeOffset dto: WriteString(FormatUtc(dto.UtcDateTime)); return;
            case DateTime dt: WriteString(FormatUtc(dt.Kind == DateTimeKind.Local ? dt.ToUniversalTime() : DateTime.SpecifyKind(dt, DateTimeKind.Utc))); return;
            case Enum en: WriteString(en.ToString()); return;
            case Guid g: WriteString(g.ToString("D")); return;
            case byte[]:
                throw Fail("byte arrays have no JSON form; convert them to a hex or base64 string first.");
            case IDictionary dict: WriteDictionary(dict); return;
            case IReadOnlyDictionary<string, object?> ro: WriteObject(ro, ro.Select(kv => kv.Key), ro.Count, k => ro[k]); return;
            case IEnumerable seq: WriteSequence(seq); return;
            default:
                throw Fail($"values of type '{value.GetType().FullName}' are not supported; use a dictionary, list, string, number, boolean, null, date or enum.");
        }
    }

    public void WriteElement(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Null: _out.Write(Null); return;
            case JsonValueKind.True: _out.Write(True); return;
            case JsonValueKind.False: _out.Write(False); return;
            case JsonValueKind.String: WriteString(ReadString(element)); return;
            case JsonValueKind.Number: WriteNumberText(element.GetRawText()); return;
            case JsonValueKind.Array:
                Enter(null);
                _out.Write("["u8);
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (index > 0) _out.Write(","u8);
                    _path.Add(index++);
                    WriteElement(item);
                    _path.RemoveAt(_path.Count - 1);
                }

                _out.Write("]"u8);
                Leave(null);
                return;
            case JsonValueKind.Object:
                Enter(null);
                // Duplicate keys: the last one wins, as in Python's json.loads.
                var members = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    members[ReadName(property)] = property.Value;
                }

                WriteSortedMembers(members.Keys, members.Count, key => { WriteElement(members[key]); });
                Leave(null);
                return;
            default:
                throw Fail($"JSON value kind '{element.ValueKind}' is not supported.");
        }
    }

    public void WriteNode(JsonNode? node)
    {
        switch (node)
        {
            case null: _out.Write(Null); return;
            case JsonObject obj:
                Enter(obj);
                WriteSortedMembers(obj.Select(kv => kv.Key), obj.Count, key => WriteNode(obj[key]));
                Leave(obj);
                return;
            case JsonArray arr:
                Enter(arr);
                _out.Write("["u8);
                for (var i = 0; i < arr.Count; i++)
                {
                    if (i > 0) _out.Write(","u8);
                    _path.Add(i);
                    WriteNode(arr[i]);
                    _path.RemoveAt(_path.Count - 1);
                }

                _out.Write("]"u8);
                Leave(arr);
                return;
            case JsonValue value:
                if (value.TryGetValue<JsonElement>(out var element))
                {
                    WriteElement(element);
                }
                else
                {
                    WriteValue(value.GetValue<object>());
                }

                return;
        }
    }

    public void WriteString(string value)
    {
        var span = value.AsSpan();
        var safe = true;
        foreach (var c in span)
        {
            if (c < 0x20 || c == '"' || c == '\\' || char.IsSurrogate(c))
            {
                safe = false;
                break;
            }
        }

        _out.Write("\""u8);
        if (safe)
        {
            var max = Encoding.UTF8.GetMaxByteCount(span.Length);
            var dest = _out.GetSpan(max);
            _out.Advance(Encoding.UTF8.GetBytes(span, dest));
        }
        else
        {
            WriteEscaped(span);
        }

        _out.Write("\""u8);
    }

    private void WriteEscaped(ReadOnlySpan<char> span)
    {
        for (var i = 0; i < span.Length; i++)
        {
            var c = span[i];
            switch (c)
            {
                case '"': _out.Write("\\\""u8); continue;
                case '\\': _out.Write("\\\\"u8); continue;
                case '\n': _out.Write("\\n"u8); continue;
                case '\r': _out.Write("\\r"u8); continue;
                case '\t': _out.Write("\\t"u8); continue;
                case '\b': _out.Write("\\b"u8); continue;
                case '\f': _out.Write("\\f"u8); continue;
            }

            if (c < 0x20)
            {
                var dest = _out.GetSpan(6);
                "\\u00"u8.CopyTo(dest);
                dest[4] = (byte)"0123456789abcdef"[c >> 4];
                dest[5] = (byte)"0123456789abcdef"[c & 0xF];
                _out.Advance(6);
                continue;
            }

            Rune rune;
            if (char.IsHighSurrogate(c) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1]))
            {
                rune = new Rune(c, span[i + 1]);
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                throw Fail($"the string holds a lone surrogate U+{(int)c:X4}, which UTF-8 cannot encode; remove it or pair it.");
            }
            else
            {
                rune = new Rune(c);
            }

            var buffer = _out.GetSpan(4);
            _out.Advance(rune.EncodeToUtf8(buffer));
        }
    }

    public void WriteDouble(double value)
    {
        if (!double.IsFinite(value))
        {
            throw Fail($"{value.ToString(CultureInfo.InvariantCulture)} is not allowed; JSON has no NaN or Infinity.");
        }

        Span<char> chars = stackalloc char[32];
        var length = PythonFloat.Format(value, chars);
        WriteAsciiChars(chars[..length]);
    }

    /// <summary>Writes a JSON number token, keeping its kind: integers stay digits, others become Python float repr.</summary>
    public void WriteNumberText(string raw)
    {
        if (raw.AsSpan().IndexOfAny('.', 'e', 'E') < 0)
        {
            // Integer of any size; "-0" is the integer zero.
            WriteAsciiChars(raw == "-0" ? "0" : raw);
            return;
        }

        var value = double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (!double.IsFinite(value))
        {
            throw Fail($"the number {raw} overflows a double (it would be Infinity).");
        }

        WriteDouble(value);
    }

    private void WriteDictionary(IDictionary dict)
    {
        var keys = new List<string>(dict.Count);
        foreach (var key in dict.Keys)
        {
            if (key is not string s)
            {
                throw Fail($"dictionary keys must be strings; found a key of type '{key?.GetType().FullName ?? "null"}'.");
            }

            keys.Add(s);
        }

        WriteObject(dict, keys, keys.Count, k => dict[k]);
    }

    private void WriteObject(object identity, IEnumerable<string> keys, int count, Func<string, object?> get)
    {
        Enter(identity);
        WriteSortedMembers(keys, count, key => WriteValue(get(key)));
        Leave(identity);
    }

    private void WriteSortedMembers(IEnumerable<string> keys, int count, Action<string> writeValue)
    {
        var sorted = new string[count];
        var n = 0;
        foreach (var key in keys) sorted[n++] = key;
        Array.Sort(sorted, 0, n, CodePointComparer.Instance);

        _out.Write("{"u8);
        for (var i = 0; i < n; i++)
        {
            if (i > 0) _out.Write(","u8);
            var key = sorted[i];
            _path.Add(key);
            WriteString(key);
            _out.Write(":"u8);
            writeValue(key);
            _path.RemoveAt(_path.Count - 1);
        }

        _out.Write("}"u8);
    }

    private void WriteSequence(IEnumerable sequence)
    {
        Enter(sequence);
        _out.Write("["u8);
        var index = 0;
        foreach (var item in sequence)
        {
            if (index > 0) _out.Write(","u8);
            _path.Add(index++);
            WriteValue(item);
            _path.RemoveAt(_path.Count - 1);
        }

        _out.Write("]"u8);
        Leave(sequence);
    }

    private int _depth;

    private void Enter(object? container)
    {
        if (++_depth > CanonicalJson.MaxDepth)
        {
            throw Fail($"nesting is deeper than {CanonicalJson.MaxDepth} levels.");
        }

        if (container is not null && !_open.Add(container))
        {
            throw Fail("the value refers back to one of its own containers (a reference cycle).");
        }
    }

    private void Leave(object? container)
    {
        _depth--;
        if (container is not null) _open.Remove(container);
    }

    private string ReadString(JsonElement element)
    {
        try
        {
            return element.GetString()!;
        }
        catch (InvalidOperationException ex)
        {
            throw Fail("the string holds a lone surrogate escape, which UTF-8 cannot encode.", ex);
        }
    }

    private string ReadName(JsonProperty property)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException ex)
        {
            throw Fail("a key holds a lone surrogate escape, which UTF-8 cannot encode.", ex);
        }
    }

    private void WriteAscii<T>(T value) where T : IFormattable
    {
        WriteAsciiChars(value.ToString(null, CultureInfo.InvariantCulture));
    }

    private void WriteAscii(long value)
    {
        var dest = _out.GetSpan(20);
        value.TryFormat(dest, out var written, default, CultureInfo.InvariantCulture);
        _out.Advance(written);
    }

    private void WriteAsciiChars(ReadOnlySpan<char> chars)
    {
        var dest = _out.GetSpan(chars.Length);
        for (var i = 0; i < chars.Length; i++) dest[i] = (byte)chars[i];
        _out.Advance(chars.Length);
    }

    internal static string FormatUtc(DateTime utc) =>
        utc.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private CanonicalJsonException Fail(string problem, Exception? inner = null) => new(FormatPath(), problem, inner);

    private string FormatPath()
    {
        if (_path.Count == 0) return _root;
        var sb = new StringBuilder(_root == "$" ? string.Empty : _root);
        foreach (var segment in _path)
        {
            if (segment is int i)
            {
                sb.Append('[').Append(i.ToString(CultureInfo.InvariantCulture)).Append(']');
            }
            else
            {
                if (sb.Length > 0) sb.Append('.');
                sb.Append((string)segment);
            }
        }

        return sb.ToString();
    }
}
