using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace Mesa.Client;

/// <summary>
/// Writes values as mesa canonical JSON (protocol section 2): keys sorted by code point, no whitespace, Python's string
/// escapes and float repr. Not thread-safe; <see cref="Rent"/> hands out one reusable instance per thread, so
/// canonicalising allocates little more than its result.
/// </summary>
internal sealed class CanonicalJsonWriter
{
    private const int InitialCapacity = 512;
    private const int MaxRetainedCapacity = 64 * 1024;
    private const int MaxPooledBufferBytes = 1024 * 1024;

    [ThreadStatic]
    private static CanonicalJsonWriter? t_cached;

    // What Python's json escapes when ensure_ascii is off: control characters, the quote and the backslash.
    private static readonly SearchValues<char> EscapedChars =
        SearchValues.Create(Enumerable.Range(0, 0x20).Select(i => (char)i).Concat("\"\\").ToArray());

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialCapacity);
    private int _written;
    private PathFrame[] _frames = new PathFrame[16];
    private int _depth;
    private string _root = "$";

    private CanonicalJsonWriter()
    {
    }

    /// <summary>An empty writer; <paramref name="root"/> names the top of the JSON path in error messages.</summary>
    public static CanonicalJsonWriter Rent(string root = "$")
    {
        var writer = t_cached ?? new CanonicalJsonWriter();
        t_cached = null;
        writer._root = root;
        return writer;
    }

    /// <summary>Gives the writer back for reuse on this thread; it must not be used afterwards.</summary>
    public static void Return(CanonicalJsonWriter writer)
    {
        writer._frames.AsSpan(0, writer._depth).Clear(); // after a failure, frames still hold the caller's objects
        writer._depth = 0;
        writer._written = 0;
        if (writer._buffer.Length > MaxRetainedCapacity)
        {
            ReturnBuffer(writer._buffer);
            writer._buffer = ArrayPool<byte>.Shared.Rent(InitialCapacity);
        }

        t_cached = writer;
    }

    public int Length => _written;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    public byte[] ToArray() => WrittenSpan.ToArray();

    public void WriteRaw(ReadOnlySpan<byte> utf8)
    {
        utf8.CopyTo(GetSpan(utf8.Length));
        _written += utf8.Length;
    }

    public void WriteValue(object? value)
    {
        switch (value)
        {
            case null: WriteRaw("null"u8); return;
            case string s: WriteString(s); return;
            case bool b: WriteRaw(b ? "true"u8 : "false"u8); return;
            case int i: WriteFormatted(i); return;
            case long l: WriteFormatted(l); return;
            case double d: WriteDouble(d); return;
            case JsonElement e: WriteElement(e); return;
            case JsonNode n: WriteNode(n); return;
            case JsonDocument doc: WriteElement(doc.RootElement); return;
            case byte u8: WriteFormatted(u8); return;
            case sbyte i8: WriteFormatted(i8); return;
            case short i16: WriteFormatted(i16); return;
            case ushort u16: WriteFormatted(u16); return;
            case uint u32: WriteFormatted(u32); return;
            case ulong u64: WriteFormatted(u64); return;
            case Int128 i128: WriteFormatted(i128); return;
            case UInt128 u128: WriteFormatted(u128); return;
            case nint ni: WriteFormatted(ni); return;
            case nuint nu: WriteFormatted(nu); return;
            case BigInteger big: WriteAscii(big.ToString(CultureInfo.InvariantCulture)); return;
            case float f: WriteSingle(f); return;
            case Half h: WriteDouble((double)h); return;
            case decimal m: WriteDecimal(m); return;
            case char c: WriteString(new ReadOnlySpan<char>(in c)); return;
            case DateTimeOffset dto: WriteUtc(dto.UtcDateTime); return;
            case DateTime dt: WriteUtc(dt.Kind == DateTimeKind.Local ? dt.ToUniversalTime() : DateTime.SpecifyKind(dt, DateTimeKind.Utc)); return;
            case Enum en: WriteEnum(en); return;
            case Guid g: WriteGuid(g); return;
            case byte[]:
                throw Fail("byte arrays have no JSON form; convert them to a hex or base64 string first.");
            case Dictionary<string, object?> map: WriteStringDictionary(map); return;
            case IDictionary dict: WriteDictionary(dict); return;
            case IList list: WriteSequence(list); return;
            case IEnumerable seq: WriteEnumerable(seq); return;
            default:
                throw Fail($"values of type '{TypeDisplay.Name(value.GetType())}' are not supported; " +
                           "use a dictionary, list, string, number, boolean, null, date or enum.");
        }
    }

    public void WriteElement(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Null: WriteRaw("null"u8); return;
            case JsonValueKind.True: WriteRaw("true"u8); return;
            case JsonValueKind.False: WriteRaw("false"u8); return;
            case JsonValueKind.String: WriteElementString(element); return;
            case JsonValueKind.Number: WriteNumberText(JsonMarshal.GetRawUtf8Value(element)); return;
            case JsonValueKind.Array: WriteElementArray(element); return;
            case JsonValueKind.Object: WriteElementObject(element); return;
            default:
                throw Fail($"JSON value kind '{element.ValueKind}' is not supported.");
        }
    }

    public void WriteNode(JsonNode? node)
    {
        switch (node)
        {
            case null:
                WriteRaw("null"u8);
                return;
            case JsonObject obj:
            {
                var keys = ArrayPool<string>.Shared.Rent(obj.Count);
                var values = ArrayPool<object?>.Shared.Rent(obj.Count);
                var n = 0;
                foreach (var (key, value) in obj)
                {
                    keys[n] = key;
                    values[n++] = value;
                }

                WriteMembers(obj, keys, values, n);
                return;
            }

            case JsonArray arr:
                Enter(arr);
                WriteByte((byte)'[');
                for (var i = 0; i < arr.Count; i++)
                {
                    if (i > 0) WriteByte((byte)',');
                    _frames[_depth - 1].SetIndex(i);
                    WriteNode(arr[i]);
                }

                WriteByte((byte)']');
                Leave();
                return;
            case JsonValue value:
                if (value.TryGetValue<JsonElement>(out var element)) WriteElement(element);
                else WriteValue(value.GetValue<object>());
                return;
        }
    }

    public void WriteString(string value) => WriteString(value.AsSpan());

    public void WriteString(ReadOnlySpan<char> value) => WriteStringCore(value, "string");

    public void WriteDouble(double value)
    {
        if (!double.IsFinite(value))
        {
            throw Fail($"{value.ToString(CultureInfo.InvariantCulture)} is not allowed: JSON has no NaN or Infinity; use null or a finite number.");
        }

        _written += PythonFloat.Format(value, GetSpan(PythonFloat.MaxLength));
    }

    /// <summary>Writes a JSON number token, keeping its kind: integers stay digits, others become Python float repr.</summary>
    public void WriteNumberText(ReadOnlySpan<byte> raw)
    {
        if (raw.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0)
        {
            // An integer of any size, as Python reads it; "-0" is the integer zero.
            WriteRaw(raw.SequenceEqual("-0"u8) ? "0"u8 : raw);
            return;
        }

        var value = double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (!double.IsFinite(value))
        {
            throw Fail($"the number {Encoding.ASCII.GetString(raw)} overflows a double (Python reads it as Infinity, which JSON cannot hold).");
        }

        WriteDouble(value);
    }

    private void WriteStringCore(ReadOnlySpan<char> value, string what)
    {
        WriteByte((byte)'"');
        while (true)
        {
            var next = value.IndexOfAny(EscapedChars);
            var run = next < 0 ? value : value[..next];
            if (!run.IsEmpty)
            {
                // Runs end at ASCII, so a surrogate pair is never split across two of them.
                var status = Utf8.FromUtf16(run, GetSpan(run.Length * 3), out var read, out var written, replaceInvalidSequences: false);
                if (status != OperationStatus.Done)
                {
                    throw Fail($"the {what} holds a lone surrogate U+{(int)run[read]:X4}, which UTF-8 cannot encode; remove it or complete the pair.");
                }

                _written += written;
            }

            if (next < 0) break;
            WriteEscape(value[next]);
            value = value[(next + 1)..];
        }

        WriteByte((byte)'"');
    }

    private void WriteEscape(char c)
    {
        switch (c)
        {
            case '"': WriteRaw("\\\""u8); return;
            case '\\': WriteRaw("\\\\"u8); return;
            case '\n': WriteRaw("\\n"u8); return;
            case '\r': WriteRaw("\\r"u8); return;
            case '\t': WriteRaw("\\t"u8); return;
            case '\b': WriteRaw("\\b"u8); return;
            case '\f': WriteRaw("\\f"u8); return;
        }

        var dest = GetSpan(6);
        "\\u00"u8.CopyTo(dest);
        dest[4] = (byte)"0123456789abcdef"[c >> 4];
        dest[5] = (byte)"0123456789abcdef"[c & 0xF];
        _written += 6;
    }

    private void WriteElementString(JsonElement element)
    {
        var raw = JsonMarshal.GetRawUtf8Value(element); // with its quotes
        var inner = raw[1..^1];
        if (inner.IndexOf((byte)'\\') < 0)
        {
            // Unescaped JSON text cannot hold control characters, quotes or backslashes: it is already canonical,
            // provided it is UTF-8 (System.Text.Json does not check that).
            if (!Utf8.IsValid(inner)) throw Fail("the string is not valid UTF-8 (or holds an encoded surrogate); send JSON as UTF-8.");
            WriteRaw(raw);
            return;
        }

        string text;
        try
        {
            text = element.GetString()!;
        }
        catch (InvalidOperationException ex)
        {
            throw Fail("the string holds a lone surrogate (an unpaired \\ud800-\\udfff) or bytes that are not UTF-8; " +
                       "UTF-8 cannot encode it: remove it or complete the pair.", ex);
        }

        WriteString(text);
    }

    private void WriteElementArray(JsonElement element)
    {
        Enter(null);
        WriteByte((byte)'[');
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            if (index > 0) WriteByte((byte)',');
            _frames[_depth - 1].SetIndex(index++);
            WriteElement(item);
        }

        WriteByte((byte)']');
        Leave();
    }

    private void WriteElementObject(JsonElement element)
    {
        Enter(null);
        var count = element.GetPropertyCount();
        var members = ArrayPool<ElementMember>.Shared.Rent(count);
        var n = 0;
        foreach (var property in element.EnumerateObject())
        {
            members[n] = ReadMember(property, n);
            n++;
        }

        // Sorted by name, then by position: of equal names the last one wins, as in Python's json.loads.
        members.AsSpan(0, n).Sort(default(ElementMemberComparer));
        WriteByte((byte)'{');
        var first = true;
        for (var i = 0; i < n; i++)
        {
            if (i + 1 < n && string.Equals(members[i].Name, members[i + 1].Name, StringComparison.Ordinal)) continue;
            if (!first) WriteByte((byte)',');
            first = false;
            WriteStringCore(members[i].Name, "key");
            WriteByte((byte)':');
            _frames[_depth - 1].SetKey(members[i].Name);
            WriteElement(members[i].Property.Value);
        }

        WriteByte((byte)'}');
        ArrayPool<ElementMember>.Shared.Return(members, clearArray: true);
        Leave();
    }

    private ElementMember ReadMember(JsonProperty property, int position)
    {
        try
        {
            // Decoding fails on invalid UTF-8 (which System.Text.Json does not check while parsing) and on lone surrogate escapes.
            return new ElementMember(property, position, property.Name);
        }
        catch (InvalidOperationException ex)
        {
            throw Fail("a key holds a lone surrogate (an unpaired \\ud800-\\udfff) or bytes that are not UTF-8; " +
                       "UTF-8 cannot encode it: remove it or complete the pair.", ex);
        }
    }

    private void WriteDictionary(IDictionary dict)
    {
        var count = dict.Count;
        var keys = ArrayPool<string>.Shared.Rent(count);
        var values = ArrayPool<object?>.Shared.Rent(count);
        var n = 0;
        var entries = dict.GetEnumerator();
        while (entries.MoveNext())
        {
            var entry = entries.Entry;
            if (entry.Key is not string key)
            {
                throw Fail($"dictionary keys must be strings; found a key of type '{TypeDisplay.Name(entry.Key.GetType())}'. Convert the keys to strings first.");
            }

            if (n == keys.Length) Grow(ref keys, ref values);
            keys[n] = key;
            values[n++] = entry.Value;
        }

        WriteMembers(dict, keys, values, n);
    }

    // The common C# shape, enumerated without boxing its enumerator.
    private void WriteStringDictionary(Dictionary<string, object?> map)
    {
        var keys = ArrayPool<string>.Shared.Rent(map.Count);
        var values = ArrayPool<object?>.Shared.Rent(map.Count);
        var n = 0;
        foreach (var (key, value) in map)
        {
            keys[n] = key;
            values[n++] = value;
        }

        WriteMembers(map, keys, values, n);
    }

    private void WriteGenericDictionary(object dictionary, IEnumerable<KeyValuePair<string, object?>> entries)
    {
        var keys = ArrayPool<string>.Shared.Rent(16);
        var values = ArrayPool<object?>.Shared.Rent(16);
        var n = 0;
        foreach (var (key, value) in entries)
        {
            if (n == keys.Length) Grow(ref keys, ref values);
            keys[n] = key;
            values[n++] = value;
        }

        WriteMembers(dictionary, keys, values, n);
    }

    private static void Grow(ref string[] keys, ref object?[] values)
    {
        var biggerKeys = ArrayPool<string>.Shared.Rent(keys.Length * 2);
        var biggerValues = ArrayPool<object?>.Shared.Rent(keys.Length * 2);
        keys.CopyTo(biggerKeys, 0);
        values.CopyTo(biggerValues, 0);
        ArrayPool<string>.Shared.Return(keys, clearArray: true);
        ArrayPool<object?>.Shared.Return(values, clearArray: true);
        keys = biggerKeys;
        values = biggerValues;
    }

    // Takes ownership of the rented key and value arrays.
    private void WriteMembers(object container, string[] keys, object?[] values, int count)
    {
        Enter(container);
        Array.Sort(keys, values, 0, count, CodePointComparer.Instance);
        WriteByte((byte)'{');
        for (var i = 0; i < count; i++)
        {
            if (i > 0) WriteByte((byte)',');
            WriteStringCore(keys[i], "key");
            WriteByte((byte)':');
            _frames[_depth - 1].SetKey(keys[i]);
            WriteValue(values[i]);
        }

        WriteByte((byte)'}');
        ArrayPool<string>.Shared.Return(keys, clearArray: true);
        ArrayPool<object?>.Shared.Return(values, clearArray: true);
        Leave();
    }

    private void WriteSequence(IList list)
    {
        Enter(list);
        WriteByte((byte)'[');
        for (var i = 0; i < list.Count; i++)
        {
            if (i > 0) WriteByte((byte)',');
            _frames[_depth - 1].SetIndex(i);
            WriteValue(list[i]);
        }

        WriteByte((byte)']');
        Leave();
    }

    private void WriteEnumerable(IEnumerable sequence)
    {
        if (GenericDictionaryAdapter.TryGet(sequence, out var entries, out var keyType))
        {
            if (entries is null)
            {
                throw Fail($"dictionary keys must be strings; this {TypeDisplay.Name(sequence.GetType())} has keys of type '{TypeDisplay.Name(keyType!)}'. Convert the keys to strings first.");
            }

            WriteGenericDictionary(sequence, entries);
            return;
        }

        Enter(sequence);
        WriteByte((byte)'[');
        var index = 0;
        foreach (var item in sequence)
        {
            if (index > 0) WriteByte((byte)',');
            _frames[_depth - 1].SetIndex(index++);
            WriteValue(item);
        }

        WriteByte((byte)']');
        Leave();
    }

    private void WriteFormatted<T>(T value) where T : IUtf8SpanFormattable
    {
        value.TryFormat(GetSpan(48), out var written, default, CultureInfo.InvariantCulture);
        _written += written;
    }

    private void WriteAscii(string digits)
    {
        var dest = GetSpan(digits.Length);
        for (var i = 0; i < digits.Length; i++) dest[i] = (byte)digits[i];
        _written += digits.Length;
    }

    // A float keeps its own shortest digits (0.1f is 0.1, not 0.10000000149011612).
    private void WriteSingle(float value)
    {
        Span<byte> text = stackalloc byte[32];
        value.TryFormat(text, out var length, "R", CultureInfo.InvariantCulture);
        WriteDouble(double.IsFinite(value) ? double.Parse(text[..length], NumberStyles.Float, CultureInfo.InvariantCulture) : value);
    }

    // The nearest double: parsing the exact decimal digits rounds correctly, where the (double) cast may be one ulp off.
    private void WriteDecimal(decimal value)
    {
        Span<byte> text = stackalloc byte[40];
        value.TryFormat(text, out var length, default, CultureInfo.InvariantCulture);
        WriteDouble(double.Parse(text[..length], NumberStyles.Float, CultureInfo.InvariantCulture));
    }

    private void WriteUtc(DateTime utc)
    {
        var dest = GetSpan(UtcTimestamp.Length + 2);
        dest[0] = (byte)'"';
        UtcTimestamp.Write(utc, dest[1..]);
        dest[UtcTimestamp.Length + 1] = (byte)'"';
        _written += UtcTimestamp.Length + 2;
    }

    private void WriteGuid(Guid value)
    {
        var dest = GetSpan(38);
        dest[0] = (byte)'"';
        value.TryFormat(dest[1..], out var length, "D");
        dest[length + 1] = (byte)'"';
        _written += length + 2;
    }

    private void WriteEnum(Enum value)
    {
        var name = value.ToString();
        if (name.Length == 0 || char.IsAsciiDigit(name[0]) || name[0] == '-')
        {
            throw Fail($"the value {name} of enum '{TypeDisplay.Name(value.GetType())}' has no name; use one of its named members.");
        }

        WriteString(name);
    }

    private void Enter(object? container)
    {
        if (_depth == CanonicalJson.MaxDepth) throw TooDeep(container);
        if (_depth == _frames.Length) Array.Resize(ref _frames, _frames.Length * 2);
        _frames[_depth++] = new PathFrame(container);
    }

    private void Leave() => _frames[--_depth] = default;

    // Cycles are found only here, once the limit is hit: no bookkeeping is needed while writing acyclic values.
    private CanonicalJsonException TooDeep(object? entering)
    {
        for (var j = 1; j <= _depth; j++)
        {
            var candidate = j < _depth ? _frames[j].Container : entering;
            if (candidate is null) continue;
            for (var i = 0; i < j; i++)
            {
                if (ReferenceEquals(_frames[i].Container, candidate))
                {
                    return new CanonicalJsonException(
                        FormatPath(j),
                        "the value refers back to a container that holds it (a reference cycle); break the cycle or copy the value.");
                }
            }
        }

        return Fail($"nesting is deeper than {CanonicalJson.MaxDepth} levels of objects and arrays; flatten the value.");
    }

    private CanonicalJsonException Fail(string problem, Exception? inner = null) => new(FormatPath(_depth), problem, inner);

    private string FormatPath(int frames) => PathFrame.Format(_frames.AsSpan(0, frames), _root);

    // A buffer of megabytes is left to the GC: the shared pool would keep it per thread indefinitely (a server that
    // once wrote a 28 MB payload would hold tens of MB on every thread that did).
    private static void ReturnBuffer(byte[] buffer)
    {
        if (buffer.Length <= MaxPooledBufferBytes) ArrayPool<byte>.Shared.Return(buffer);
    }

    private Span<byte> GetSpan(int size)
    {
        if (_buffer.Length - _written < size)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _written + size));
            _buffer.AsSpan(0, _written).CopyTo(bigger);
            ReturnBuffer(_buffer);
            _buffer = bigger;
        }

        return _buffer.AsSpan(_written);
    }

    private void WriteByte(byte value)
    {
        if (_written == _buffer.Length) GetSpan(1);
        _buffer[_written++] = value;
    }
}
