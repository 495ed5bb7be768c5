using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mesa.Client;

/// <summary>How response bodies map onto the models: snake_case names and lenient scalar shapes.</summary>
internal static class MesaJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        PropertyNameCaseInsensitive = true,
        Converters = { new TimestampConverter(), new LenientStringConverter(), new PlainObjectConverter() },
    };

    /// <summary>
    /// Both shapes of <c>created_at</c>: <c>2026-11-28T11:50:16</c> (SQLite: no zone, meaning UTC) and
    /// fractional seconds with an offset (PostgreSQL).
    /// </summary>
    private sealed class TimestampConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Null) return default;
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new JsonException($"Expected a timestamp string, got {reader.TokenType}.");
            }

            var text = reader.GetString();
            if (string.IsNullOrEmpty(text)) return default;
            if (!DateTimeOffset.TryParse(
                    text, CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal | DateTimeStyles.AllowWhiteSpaces,
                    out var value))
            {
                // A JsonException, so the client reports it as an unreadable body rather than a bare FormatException.
                throw new JsonException($"'{text}' is not an ISO-8601 timestamp.");
            }

            return value;
        }

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(UtcTimestamp.Format(value.UtcDateTime));
    }

    /// <summary>Ids are strings here, but some servers send numbers (an integer policy id); keep their text.</summary>
    private sealed class LenientStringConverter : JsonConverter<string>
    {
        public override bool HandleNull => false;

        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString(),
                JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan),
                JsonTokenType.True => "true",
                JsonTokenType.False => "false",
                _ => throw new JsonException($"Expected a string, got {reader.TokenType}."),
            };

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }

    /// <summary>Free-form members (payloads) become plain dictionaries and lists rather than JsonElements.</summary>
    private sealed class PlainObjectConverter : JsonConverter<object>
    {
        public override object? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var doc = JsonDocument.ParseValue(ref reader);
            return JsonPlain.ToPlain(doc.RootElement);
        }

        public override void Write(Utf8JsonWriter writer, object value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value, value.GetType(), options);
    }
}
