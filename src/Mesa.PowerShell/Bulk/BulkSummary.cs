using System.Globalization;

namespace Mesa.PowerShell.Bulk;

/// <summary>
/// The account of one Submit-MesaCommitment run of more than one envelope, written once at the end on the
/// information stream with the tag <c>MesaSummary</c>.
/// </summary>
public sealed class BulkSummary
{
    internal BulkSummary(
        int received, int active, int flagged, IReadOnlyDictionary<string, int> refusedByCode, int unknown, int notSent, int skipped,
        TimeSpan elapsed, string? journalPath, bool stopped)
    {
        Received = received;
        Active = active;
        Flagged = flagged;
        RefusedByCode = refusedByCode;
        Refused = refusedByCode.Values.Sum();
        Unknown = unknown;
        NotSent = notSent;
        Skipped = skipped;
        Elapsed = elapsed;
        JournalPath = journalPath;
        Stopped = stopped;
        var sent = Active + Flagged + Refused + Unknown;
        RatePerSecond = elapsed.TotalSeconds > 0 ? Math.Round(sent / elapsed.TotalSeconds, 1) : 0;
    }

    /// <summary>Envelopes the cmdlet received.</summary>
    public int Received { get; }

    /// <summary>Landed as <c>active</c>.</summary>
    public int Active { get; }

    /// <summary>Landed as <c>flagged</c> (a flag or route policy fired).</summary>
    public int Flagged { get; }

    /// <summary>Landed in all: <see cref="Active"/> plus <see cref="Flagged"/>.</summary>
    public int Landed => Active + Flagged;

    /// <summary>Refused by the server (nothing stored), in all.</summary>
    public int Refused { get; }

    /// <summary>Refusals per server code (<c>policy_blocked</c>, ...) or error class.</summary>
    public IReadOnlyDictionary<string, int> RefusedByCode { get; }

    /// <summary>Sent, but the answer was lost (or an earlier run's was, and it was not resent): may or may not have landed.</summary>
    public int Unknown { get; }

    /// <summary>Received but not sent (unsigned, declined, stopped, unreachable, failed locally).</summary>
    public int NotSent { get; }

    /// <summary>Skipped because the journal records them as landed already.</summary>
    public int Skipped { get; }

    /// <summary>How long the run took.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Envelopes answered (or lost) per second.</summary>
    public double RatePerSecond { get; }

    /// <summary>The journal, when one was kept.</summary>
    public string? JournalPath { get; }

    /// <summary>True when the run was stopped (Ctrl+C) before all envelopes were sent.</summary>
    public bool Stopped { get; }

    /// <summary>One readable line, for example <c>500 envelopes in 3.1 s (161.3/s): 480 active, 19 flagged, 1 refused (policy_blocked 1), ...</c>.</summary>
    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        var refused = Refused == 0 ? "0 refused"
            : $"{Refused} refused ({string.Join(", ", RefusedByCode.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + " " + p.Value.ToString(c)))})";
        var text = string.Format(
            c, "{0}{1} envelopes in {2:0.0} s ({3:0.0}/s): {4} active, {5} flagged, {6}, {7} unknown, {8} not sent, {9} skipped as already landed.",
            Stopped ? "Stopped: " : "", Received, Elapsed.TotalSeconds, RatePerSecond, Active, Flagged, refused, Unknown, NotSent, Skipped);
        return JournalPath is null ? text : text + " Journal: " + JournalPath;
    }
}
