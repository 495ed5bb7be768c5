using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace Mesa.Client;

/// <summary>
/// The output of mesa canonical JSON (protocol section 2): a pooled UTF-8 buffer, the open containers (for the depth
/// limit, cycles and the JSON path of an error), and the tokens: strings with Python's escapes, numbers with Python's
/// float repr, keys sorted by code point. What is written comes from <see cref="CanonicalValueWriter"/> (.NET values),
/// <see cref="CanonicalElementWriter"/> (parsed JSON) and <see cref="CanonicalNodeWriter"/> (JSON nodes). Not thread-safe; <see cref="Rent"/> hands out one reusable instance per thread, so
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

    /// <summary>Writes a .NET value (see <see cref="CanonicalValueWriter"/>).</summary>
    public void WriteValue(object? value) => CanonicalValueWriter.Write(this, value);

    /// <summary>Writes parsed JSON (see <see cref="CanonicalElementWriter"/>).</summary>
    public void WriteElement(JsonElement element) => CanonicalElementWriter.Write(this, element);

    /// <summary>Writes a JSON node (see <see cref="CanonicalNodeWriter"/>).</summary>
    public void WriteNode(JsonNode? node) => CanonicalNodeWriter.Write(this, node);

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

    /// <summary>Writes an object key (a string whose errors name it a key).</summary>
    public void WriteKey(string key) => WriteStringCore(key, "key");

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

    // Takes ownership of the rented key and value arrays.
    public void WriteMembers(object container, string[] keys, object?[] values, int count)
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

    public void WriteFormatted<T>(T value) where T : IUtf8SpanFormattable
    {
        value.TryFormat(GetSpan(48), out var written, default, CultureInfo.InvariantCulture);
        _written += written;
    }

    public void WriteAscii(string digits)
    {
        var dest = GetSpan(digits.Length);
        for (var i = 0; i < digits.Length; i++) dest[i] = (byte)digits[i];
        _written += digits.Length;
    }

    // A float keeps its own shortest digits (0.1f is 0.1, not 0.10000000149011612).
    public void WriteSingle(float value)
    {
        Span<byte> text = stackalloc byte[32];
        value.TryFormat(text, out var length, "R", CultureInfo.InvariantCulture);
        WriteDouble(double.IsFinite(value) ? double.Parse(text[..length], NumberStyles.Float, CultureInfo.InvariantCulture) : value);
    }

    // The nearest double: parsing the exact decimal digits rounds correctly, where the (double) cast may be one ulp off.
    public void WriteDecimal(decimal value)
    {
        Span<byte> text = stackalloc byte[40];
        value.TryFormat(text, out var length, default, CultureInfo.InvariantCulture);
        WriteDouble(double.Parse(text[..length], NumberStyles.Float, CultureInfo.InvariantCulture));
    }

    public void WriteUtc(DateTime utc)
    {
        var dest = GetSpan(UtcTimestamp.Length + 2);
        dest[0] = (byte)'"';
        UtcTimestamp.Write(utc, dest[1..]);
        dest[UtcTimestamp.Length + 1] = (byte)'"';
        _written += UtcTimestamp.Length + 2;
    }

    public void WriteGuid(Guid value)
    {
        var dest = GetSpan(38);
        dest[0] = (byte)'"';
        value.TryFormat(dest[1..], out var length, "D");
        dest[length + 1] = (byte)'"';
        _written += length + 2;
    }

    /// <summary>Opens a container (null for parsed JSON, which cannot hold cycles); the depth limit and cycles are checked here.</summary>
    public void Enter(object? container)
    {
        if (_depth == CanonicalJson.MaxDepth) throw TooDeep(container);
        if (_depth == _frames.Length) Array.Resize(ref _frames, _frames.Length * 2);
        _frames[_depth++] = new PathFrame(container);
    }

    public void Leave() => _frames[--_depth] = default;

    /// <summary>Names the array item being written in the innermost open container (for error paths).</summary>
    public void SetIndex(int index) => _frames[_depth - 1].SetIndex(index);

    /// <summary>Names the object member being written in the innermost open container (for error paths).</summary>
    public void SetKey(string key) => _frames[_depth - 1].SetKey(key);

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

    /// <summary>An error at the current path.</summary>
    public CanonicalJsonException Fail(string problem, Exception? inner = null) => new(FormatPath(_depth), problem, inner);

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

    public void WriteByte(byte value)
    {
        if (_written == _buffer.Length) GetSpan(1);
        _buffer[_written++] = value;
    }
}
