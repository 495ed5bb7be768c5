using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Mesa.PowerShell.Bulk;

/// <summary>
/// One line of a submission journal: the outcome of one envelope on one server. The latest line per envelope id wins.
/// </summary>
internal sealed record JournalEntry
{
    /// <summary>The envelope's id.</summary>
    public required string EnvelopeId { get; init; }

    /// <summary>The outcome.</summary>
    public required JournalOutcome Outcome { get; init; }

    /// <summary>When the outcome was known (UTC).</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>The server's base URI (so that a journal of another server is detected).</summary>
    public required string Server { get; init; }

    /// <summary>The envelope's deliberation, the place to check an <c>unknown</c> outcome.</summary>
    public string? DeliberationId { get; init; }

    /// <summary>For <c>landed</c>: the commitment id the server assigned.</summary>
    public string? CommitmentId { get; init; }

    /// <summary>For <c>landed</c>: <c>active</c> or <c>flagged</c>.</summary>
    public string? Status { get; init; }

    /// <summary>For <c>landed</c>: the policy decision's action.</summary>
    public string? Action { get; init; }

    /// <summary>For <c>refused</c>: the HTTP status the server answered.</summary>
    public int? HttpStatus { get; init; }

    /// <summary>For <c>refused</c>: the server's code (<c>policy_blocked</c>, ...) or the error class.</summary>
    public string? Code { get; init; }

    /// <summary>For <c>refused</c>, <c>unknown</c> and <c>not_sent</c>: why, in one sentence.</summary>
    public string? Reason { get; init; }

    /// <summary>The journal's word for an outcome.</summary>
    public static string OutcomeName(JournalOutcome outcome) => outcome switch
    {
        JournalOutcome.Landed => "landed",
        JournalOutcome.Refused => "refused",
        JournalOutcome.Unknown => "unknown",
        _ => "not_sent",
    };

    /// <summary>The outcome a journal word names, or null for a word that is none.</summary>
    public static JournalOutcome? ParseOutcome(string? name) => name switch
    {
        "landed" => JournalOutcome.Landed,
        "refused" => JournalOutcome.Refused,
        "unknown" => JournalOutcome.Unknown,
        "not_sent" => JournalOutcome.NotSent,
        _ => null,
    };

    /// <summary>The entry as one JSON line with its newline; the envelope id comes first, so that a line cut short still names it.</summary>
    public byte[] ToJsonLine()
    {
        using var buffer = new MemoryStream(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("envelope_id", EnvelopeId);
            writer.WriteString("outcome", OutcomeName(Outcome));
            writer.WriteString("time", Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            writer.WriteString("server", Server);
            if (DeliberationId is not null) writer.WriteString("deliberation_id", DeliberationId);
            if (CommitmentId is not null) writer.WriteString("commitment_id", CommitmentId);
            if (Status is not null) writer.WriteString("status", Status);
            if (Action is not null) writer.WriteString("action", Action);
            if (HttpStatus is int status) writer.WriteNumber("http_status", status);
            if (Code is not null) writer.WriteString("code", Code);
            if (Reason is not null) writer.WriteString("reason", Reason);
            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>Reads one journal line; null with a problem when it is not a journal entry.</summary>
    public static JournalEntry? TryParse(string line, out string? problem)
    {
        problem = null;
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                problem = "it is not a JSON object";
                return null;
            }

            var id = Text(root, "envelope_id");
            var outcomeName = Text(root, "outcome");
            var server = Text(root, "server");
            var time = Text(root, "time");
            if (string.IsNullOrEmpty(id)) problem = "it has no envelope_id";
            else if (ParseOutcome(outcomeName) is null) problem = $"its outcome '{outcomeName}' is not one of landed, refused, unknown, not_sent";
            else if (string.IsNullOrEmpty(server)) problem = "it has no server";
            else if (!DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when)) problem = "its time is missing or not a date";
            else
            {
                return new JournalEntry
                {
                    EnvelopeId = id,
                    Outcome = ParseOutcome(outcomeName)!.Value,
                    Time = when,
                    Server = server,
                    DeliberationId = Text(root, "deliberation_id"),
                    CommitmentId = Text(root, "commitment_id"),
                    Status = Text(root, "status"),
                    Action = Text(root, "action"),
                    HttpStatus = root.TryGetProperty("http_status", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt32(out var n) ? n : null,
                    Code = Text(root, "code"),
                    Reason = Text(root, "reason"),
                };
            }

            return null;
        }
        catch (JsonException ex)
        {
            problem = "it is not valid JSON (" + ex.Message.Split(" Path:")[0].TrimEnd('.') + ")";
            return null;
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The line as written, without its newline.</summary>
    public override string ToString() => Encoding.UTF8.GetString(ToJsonLine()).TrimEnd('\n');
}
