using System.Collections.Concurrent;
using Mesa.Client;

namespace Mesa.PowerShell.Bulk;

/// <summary>
/// One received envelope's place in the output order: what to write for it once it is the oldest outstanding item.
/// Filled in by a worker (a sent envelope) or at once on the pipeline thread (one refused or skipped locally).
/// </summary>
internal sealed class SubmissionResult
{
    public SubmissionResult(MesaEnvelope input) => Input = input;

    /// <summary>The envelope as received: the TargetObject of its error.</summary>
    public MesaEnvelope Input { get; }

    /// <summary>
    /// The request log of this item, written on the pipeline thread (verbose/debug) when it comes up; null unless
    /// someone listens (an empty queue is some 650 bytes, per item, of a run that writes no log).
    /// </summary>
    public ConcurrentQueue<MesaRequestLog>? Log { get; private set; }

    /// <summary>The log to collect this item's requests into, made on first use.</summary>
    public ConcurrentQueue<MesaRequestLog> StartLog() => Log ??= new();

    /// <summary>The stored commitment, when it landed.</summary>
    public MesaCommitment? Commitment { get; set; }

    /// <summary>Why it did not land, when it did not (the item error to write), or null.</summary>
    public Exception? Error { get; set; }

    /// <summary>The error id for an error the module makes itself (not a core exception), or null.</summary>
    public string? ErrorId { get; set; }

    /// <summary>A verbose line to write in its place instead of output (an envelope skipped as already landed).</summary>
    public string? Verbose { get; set; }

    /// <summary>The journal line could not be written: the run must stop, since the account would have a gap.</summary>
    public Exception? JournalFailure { get; set; }

    /// <summary>Set once the result is final (a worker's result becomes visible through its task).</summary>
    public Task Completion { get; set; } = Task.CompletedTask;
}
