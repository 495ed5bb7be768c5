using System.Globalization;
using System.Management.Automation;

namespace Mesa.PowerShell.Bulk;

/// <summary>
/// Progress of a bulk run: count, rate, and percent and time left when the total is known; at most one record per
/// <see cref="Interval"/>, so that a long run does not pay for a record per item.
/// </summary>
internal sealed class ProgressMeter
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private const int ActivityId = 8412;
    private const string Activity = "Submitting commitments";
    private TimeSpan? _last;

    public ProgressMeter(int? total) => Total = total;

    /// <summary>The number of envelopes, when known (an array bound to -Envelope).</summary>
    public int? Total { get; }

    /// <summary>True once a record was shown (so a Completed record is due at the end).</summary>
    public bool Shown { get; private set; }

    /// <summary>A record to show now, or null when the last one was too recent or the run is no bulk run (yet).</summary>
    public ProgressRecord? Next(int done, TimeSpan elapsed)
    {
        if (elapsed < Interval || (_last is { } last && elapsed - last < Interval)) return null;
        if ((Total ?? done) < 2) return null;
        _last = elapsed;
        Shown = true;
        var c = CultureInfo.InvariantCulture;
        var rate = elapsed.TotalSeconds > 0 ? done / elapsed.TotalSeconds : 0;
        var record = new ProgressRecord(ActivityId, Activity, "x");
        if (Total is int total && total > 0)
        {
            record.StatusDescription = string.Format(c, "{0} of {1} envelopes, {2:0.0}/s", done, total, rate);
            record.PercentComplete = Math.Clamp(done * 100 / total, 0, 100);
            if (rate > 0) record.SecondsRemaining = (int)Math.Ceiling((total - done) / rate);
        }
        else
        {
            record.StatusDescription = string.Format(c, "{0} envelopes, {1:0.0}/s", done, rate);
        }

        return record;
    }

    /// <summary>The record that clears the display.</summary>
    public static ProgressRecord Completed() =>
        new(ActivityId, Activity, "Done") { RecordType = ProgressRecordType.Completed, PercentComplete = 100 };
}
