using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;

namespace Mesa.Client;

/// <summary>
/// Writes parsed JSON (<see cref="JsonElement"/>) as canonical JSON into a <see cref="CanonicalJsonWriter"/>: numbers
/// keep their wire kind and digits, strings without escapes are copied as they are, and of duplicate keys the last one
/// wins (as in Python's json.loads).
/// </summary>
internal static class CanonicalElementWriter
{
    public static void Write(CanonicalJsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Null: writer.WriteRaw("null"u8); return;
            case JsonValueKind.True: writer.WriteRaw("true"u8); return;
            case JsonValueKind.False: writer.WriteRaw("false"u8); return;
            case JsonValueKind.String: WriteText(writer, element); return;
            case JsonValueKind.Number: writer.WriteNumberText(JsonMarshal.GetRawUtf8Value(element)); return;
            case JsonValueKind.Array: WriteArray(writer, element); return;
            case JsonValueKind.Object: WriteObject(writer, element); return;
            default:
                throw writer.Fail($"JSON value kind '{element.ValueKind}' is not supported.");
        }
    }

    private static void WriteText(CanonicalJsonWriter writer, JsonElement element)
    {
        var raw = JsonMarshal.GetRawUtf8Value(element); // with its quotes
        var inner = raw[1..^1];
        if (inner.IndexOf((byte)'\\') < 0)
        {
            // Unescaped JSON text cannot hold control characters, quotes or backslashes: it is already canonical,
            // provided it is UTF-8 (System.Text.Json does not check that).
            if (!Utf8.IsValid(inner)) throw writer.Fail("the string is not valid UTF-8 (or holds an encoded surrogate); send JSON as UTF-8.");
            writer.WriteRaw(raw);
            return;
        }

        string text;
        try
        {
            text = element.GetString()!;
        }
        catch (InvalidOperationException ex)
        {
            throw writer.Fail("the string holds a lone surrogate (an unpaired \\ud800-\\udfff) or bytes that are not UTF-8; " +
                              "UTF-8 cannot encode it: remove it or complete the pair.", ex);
        }

        writer.WriteString(text);
    }

    private static void WriteArray(CanonicalJsonWriter writer, JsonElement element)
    {
        writer.Enter(null);
        writer.WriteByte((byte)'[');
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            if (index > 0) writer.WriteByte((byte)',');
            writer.SetIndex(index++);
            Write(writer, item);
        }

        writer.WriteByte((byte)']');
        writer.Leave();
    }

    private static void WriteObject(CanonicalJsonWriter writer, JsonElement element)
    {
        writer.Enter(null);
        var count = element.GetPropertyCount();
        var members = ArrayPool<ElementMember>.Shared.Rent(count);
        var n = 0;
        foreach (var property in element.EnumerateObject())
        {
            members[n] = ReadMember(writer, property, n);
            n++;
        }

        // Sorted by name, then by position: of equal names the last one wins, as in Python's json.loads.
        members.AsSpan(0, n).Sort(default(ElementMemberComparer));
        writer.WriteByte((byte)'{');
        var first = true;
        for (var i = 0; i < n; i++)
        {
            if (i + 1 < n && string.Equals(members[i].Name, members[i + 1].Name, StringComparison.Ordinal)) continue;
            if (!first) writer.WriteByte((byte)',');
            first = false;
            writer.WriteKey(members[i].Name);
            writer.WriteByte((byte)':');
            writer.SetKey(members[i].Name);
            Write(writer, members[i].Property.Value);
        }

        writer.WriteByte((byte)'}');
        ArrayPool<ElementMember>.Shared.Return(members, clearArray: true);
        writer.Leave();
    }

    private static ElementMember ReadMember(CanonicalJsonWriter writer, JsonProperty property, int position)
    {
        try
        {
            // Decoding fails on invalid UTF-8 (which System.Text.Json does not check while parsing) and on lone surrogate escapes.
            return new ElementMember(property, position, property.Name);
        }
        catch (InvalidOperationException ex)
        {
            throw writer.Fail("a key holds a lone surrogate (an unpaired \\ud800-\\udfff) or bytes that are not UTF-8; " +
                              "UTF-8 cannot encode it: remove it or complete the pair.", ex);
        }
    }
}
