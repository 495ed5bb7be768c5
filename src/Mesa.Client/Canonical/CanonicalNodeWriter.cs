using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mesa.Client;

/// <summary>
/// Writes a <see cref="JsonNode"/> tree as canonical JSON into a <see cref="CanonicalJsonWriter"/>: objects as sorted
/// members, values by what they hold (a parsed element or a .NET value).
/// </summary>
internal static class CanonicalNodeWriter
{
    public static void Write(CanonicalJsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteRaw("null"u8);
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

                writer.WriteMembers(obj, keys, values, n);
                return;
            }

            case JsonArray arr:
                writer.Enter(arr);
                writer.WriteByte((byte)'[');
                for (var i = 0; i < arr.Count; i++)
                {
                    if (i > 0) writer.WriteByte((byte)',');
                    writer.SetIndex(i);
                    Write(writer, arr[i]);
                }

                writer.WriteByte((byte)']');
                writer.Leave();
                return;
            case JsonValue value:
                if (value.TryGetValue<JsonElement>(out var element)) writer.WriteElement(element);
                else writer.WriteValue(value.GetValue<object>());
                return;
        }
    }
}
