using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mesa.Client;

/// <summary>
/// Writes .NET values as canonical JSON into a <see cref="CanonicalJsonWriter"/>: string-keyed dictionaries (also the
/// generic-only ones) as objects with sorted keys, lists and sequences as arrays, every numeric type, dates as the
/// reference SDK's UTC timestamps, enums by name; anything else is refused, naming its type and path.
/// </summary>
internal static class CanonicalValueWriter
{
    public static void Write(CanonicalJsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteRaw("null"u8); return;
            case string s: writer.WriteString(s); return;
            case bool b: writer.WriteRaw(b ? "true"u8 : "false"u8); return;
            case int i: writer.WriteFormatted(i); return;
            case long l: writer.WriteFormatted(l); return;
            case double d: writer.WriteDouble(d); return;
            case JsonElement e: writer.WriteElement(e); return;
            case JsonNode n: writer.WriteNode(n); return;
            case JsonDocument doc: writer.WriteElement(doc.RootElement); return;
            case byte u8: writer.WriteFormatted(u8); return;
            case sbyte i8: writer.WriteFormatted(i8); return;
            case short i16: writer.WriteFormatted(i16); return;
            case ushort u16: writer.WriteFormatted(u16); return;
            case uint u32: writer.WriteFormatted(u32); return;
            case ulong u64: writer.WriteFormatted(u64); return;
            case Int128 i128: writer.WriteFormatted(i128); return;
            case UInt128 u128: writer.WriteFormatted(u128); return;
            case nint ni: writer.WriteFormatted(ni); return;
            case nuint nu: writer.WriteFormatted(nu); return;
            case BigInteger big: writer.WriteAscii(big.ToString(CultureInfo.InvariantCulture)); return;
            case float f: writer.WriteSingle(f); return;
            case Half h: writer.WriteDouble((double)h); return;
            case decimal m: writer.WriteDecimal(m); return;
            case char c: writer.WriteString(new ReadOnlySpan<char>(in c)); return;
            case DateTimeOffset dto: writer.WriteUtc(dto.UtcDateTime); return;
            case DateTime dt: writer.WriteUtc(dt.Kind == DateTimeKind.Local ? dt.ToUniversalTime() : DateTime.SpecifyKind(dt, DateTimeKind.Utc)); return;
            case Enum en: WriteEnum(writer, en); return;
            case Guid g: writer.WriteGuid(g); return;
            case byte[]:
                throw writer.Fail("byte arrays have no JSON form; convert them to a hex or base64 string first.");
            case Dictionary<string, object?> map: WriteStringDictionary(writer, map); return;
            case IDictionary dict: WriteDictionary(writer, dict); return;
            case IList list: WriteSequence(writer, list); return;
            case IEnumerable seq: WriteEnumerable(writer, seq); return;
            default:
                throw writer.Fail($"values of type '{TypeDisplay.Name(value.GetType())}' are not supported; " +
                                  "use a dictionary, list, string, number, boolean, null, date or enum.");
        }
    }

    private static void WriteDictionary(CanonicalJsonWriter writer, IDictionary dict)
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
                throw writer.Fail($"dictionary keys must be strings; found a key of type '{TypeDisplay.Name(entry.Key.GetType())}'. Convert the keys to strings first.");
            }

            if (n == keys.Length) Grow(ref keys, ref values);
            keys[n] = key;
            values[n++] = entry.Value;
        }

        writer.WriteMembers(dict, keys, values, n);
    }

    // The common C# shape, enumerated without boxing its enumerator.
    private static void WriteStringDictionary(CanonicalJsonWriter writer, Dictionary<string, object?> map)
    {
        var keys = ArrayPool<string>.Shared.Rent(map.Count);
        var values = ArrayPool<object?>.Shared.Rent(map.Count);
        var n = 0;
        foreach (var (key, value) in map)
        {
            keys[n] = key;
            values[n++] = value;
        }

        writer.WriteMembers(map, keys, values, n);
    }

    private static void WriteGenericDictionary(CanonicalJsonWriter writer, object dictionary, IEnumerable<KeyValuePair<string, object?>> entries)
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

        writer.WriteMembers(dictionary, keys, values, n);
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

    private static void WriteSequence(CanonicalJsonWriter writer, IList list)
    {
        writer.Enter(list);
        writer.WriteByte((byte)'[');
        for (var i = 0; i < list.Count; i++)
        {
            if (i > 0) writer.WriteByte((byte)',');
            writer.SetIndex(i);
            Write(writer, list[i]);
        }

        writer.WriteByte((byte)']');
        writer.Leave();
    }

    private static void WriteEnumerable(CanonicalJsonWriter writer, IEnumerable sequence)
    {
        if (GenericDictionaryAdapter.TryGet(sequence, out var entries, out var keyType))
        {
            if (entries is null)
            {
                throw writer.Fail($"dictionary keys must be strings; this {TypeDisplay.Name(sequence.GetType())} has keys of type '{TypeDisplay.Name(keyType!)}'. Convert the keys to strings first.");
            }

            WriteGenericDictionary(writer, sequence, entries);
            return;
        }

        writer.Enter(sequence);
        writer.WriteByte((byte)'[');
        var index = 0;
        foreach (var item in sequence)
        {
            if (index > 0) writer.WriteByte((byte)',');
            writer.SetIndex(index++);
            Write(writer, item);
        }

        writer.WriteByte((byte)']');
        writer.Leave();
    }

    private static void WriteEnum(CanonicalJsonWriter writer, Enum value)
    {
        var name = value.ToString();
        if (name.Length == 0 || char.IsAsciiDigit(name[0]) || name[0] == '-')
        {
            throw writer.Fail($"the value {name} of enum '{TypeDisplay.Name(value.GetType())}' has no name; use one of its named members.");
        }

        writer.WriteString(name);
    }
}
