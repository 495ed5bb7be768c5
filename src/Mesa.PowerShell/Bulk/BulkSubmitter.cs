using System.Collections.Concurrent;
using System.Diagnostics;
using Mesa.Client;

namespace Mesa.PowerShell.Bulk;

/// <summary>
/// The engine of Submit-MesaCommitment: up to <see cref="ThrottleLimit"/> envelopes outstanding, sent (and signed) on
/// workers over one client, their results kept in input order (a first-in first-out window, so at most
/// <see cref="ThrottleLimit"/> results wait to be written), each outcome counted and journaled by the worker the
/// moment it is known. The pipeline thread receives, dispatches and writes; <see cref="Stop"/> may come from any
/// thread. No PowerShell in here: the cmdlet does every Write.
/// </summary>
internal sealed class BulkSubmitter : IDisposable
{
    private readonly object _gate = new();
    private readonly MesaClient _client;
    private readonly MesaRetryOptions? _retry;
    private readonly MesaKeypair? _keypair;
    private readonly bool _force;
    private readonly bool _listen;
    private readonly Queue<MesaEnvelope> _received = new();
    private readonly Queue<SubmissionResult> _window = new();
    private readonly CancellationTokenSource _cancel = new();
    private readonly ManualResetEventSlim _stopDone = new(true);
    private readonly ConcurrentDictionary<string, int> _refused = new(StringComparer.Ordinal);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly HashSet<string>? _seen; // envelope ids received in this run, kept only with a journal
    private MesaEnvelope? _claimed;
    private int _receivedCount, _active, _flagged, _unknown, _skipped, _finished;
    private bool _stopping, _disposed;

    /// <param name="client">The connection's client: every request goes through it.</param>
    /// <param name="retry">Retry settings of this call, or null for the client's own.</param>
    /// <param name="keypair">Signs unsigned envelopes on the workers, or null.</param>
    /// <param name="throttleLimit">How many envelopes may be outstanding at once (at least 1).</param>
    /// <param name="journal">Where each outcome is recorded, or null.</param>
    /// <param name="force">Resend envelopes the journal records as unknown.</param>
    /// <param name="listen">Collect each request's log for the pipeline thread (only when verbose or debug output is
    /// wanted: otherwise the client builds no log at all, which is most of a request's cost on the client side).</param>
    public BulkSubmitter(MesaClient client, MesaRetryOptions? retry, MesaKeypair? keypair, int throttleLimit, SubmissionJournal? journal, bool force, bool listen = true)
    {
        _listen = listen;
        ArgumentOutOfRangeException.ThrowIfLessThan(throttleLimit, 1);
        _client = client;
        _retry = retry;
        _keypair = keypair;
        ThrottleLimit = throttleLimit;
        Journal = journal;
        _force = force;
        if (journal is not null) _seen = new HashSet<string>(StringComparer.Ordinal);
    }

    /// <summary>How many envelopes may be outstanding (in flight or waiting to be written) at once.</summary>
    public int ThrottleLimit { get; }

    /// <summary>The journal, or null.</summary>
    public SubmissionJournal? Journal { get; }

    /// <summary>True once a stop began: nothing new is taken or sent.</summary>
    public bool Stopping
    {
        get { lock (_gate) return _stopping; }
    }

    /// <summary>True when the window is full: the pipeline thread must write the oldest result before dispatching more.</summary>
    public bool IsFull
    {
        get { lock (_gate) return _window.Count >= ThrottleLimit; }
    }

    /// <summary>Envelopes received so far.</summary>
    public int ReceivedCount => Volatile.Read(ref _receivedCount);

    /// <summary>Envelopes whose outcome is known (including skipped ones).</summary>
    public int FinishedCount => Volatile.Read(ref _finished);

    /// <summary>Time since the run began.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>
    /// Registers received envelopes (all of an array at once), so that a stop accounts for every one of them. Once a
    /// stop began (it may have taken its account already, on another thread), they are journaled as not sent here.
    /// </summary>
    public void Receive(IReadOnlyList<MesaEnvelope> envelopes)
    {
        bool stopping;
        lock (_gate)
        {
            stopping = _stopping;
            if (!stopping)
            {
                foreach (var envelope in envelopes) _received.Enqueue(envelope);
            }

            _receivedCount += envelopes.Count;
        }

        if (!stopping) return;
        foreach (var envelope in envelopes)
        {
            Record(new SubmissionResult(envelope), NotSentEntry(envelope, "the run was stopped before it was sent"));
        }
    }

    /// <summary>
    /// The next received envelope to handle, or null when none is left or a stop began. The envelope stays claimed
    /// until one of <see cref="Dispatch"/>, <see cref="Refuse"/>, <see cref="Decline"/>, <see cref="TrySkip"/> settles
    /// it, or <see cref="ReleaseClaim"/> records it as not sent.
    /// </summary>
    public MesaEnvelope? TakeNext()
    {
        lock (_gate)
        {
            if (_stopping || _received.Count == 0) return null;
            _claimed = _received.Dequeue();
            return _claimed;
        }
    }

    /// <summary>
    /// Settles the claimed envelope from the journal when it says so: already landed (skipped, with a verbose line),
    /// or unknown without -Force (an item error). False when the envelope is to be sent.
    /// </summary>
    public bool TrySkip(MesaEnvelope input)
    {
        var entry = Journal?.Latest(input.Id);
        if (entry is null) return false;
        var result = new SubmissionResult(input);
        if (entry.Outcome == JournalOutcome.Landed)
        {
            result.Verbose = $"Envelope {input.Id} skipped: the journal records it as landed at {entry.Time.UtcDateTime:u} (commitment {entry.CommitmentId}, {entry.Status}).";
            Interlocked.Increment(ref _skipped);
        }
        else if (entry.Outcome == JournalOutcome.Unknown && !_force)
        {
            var deliberation = input.DeliberationId ?? entry.DeliberationId;
            var where = deliberation is null ? "the server" : $"deliberation {deliberation} (Get-MesaDeliberation -Id {deliberation})";
            result.Error = new InvalidOperationException(
                $"Envelope {input.Id} was not sent: the journal {Journal!.Path} records that an earlier run sent it and lost the answer, so it may have landed. " +
                $"Check {where} for it; if it is not there, submit it again with -Force (mesa stores a re-sent envelope twice).");
            result.ErrorId = "OutcomeUnknownInJournal";
            Interlocked.Increment(ref _unknown);
        }
        else
        {
            return false;
        }

        Interlocked.Increment(ref _finished);
        Settle(input, result);
        return true;
    }

    /// <summary>
    /// True when a journal is kept and this envelope was already received in this run: with a journal each envelope is
    /// sent at most once, whatever became of its first copy (in flight, landed or refused), so the outcome does not
    /// depend on timing. Pipeline thread only.
    /// </summary>
    public bool IsRepeat(MesaEnvelope input) => _seen is not null && !_seen.Add(input.Id);

    /// <summary>Settles a repeated envelope (see <see cref="IsRepeat"/>) with an item error in its place: nothing sent, nothing journaled (its line is the first copy's); counted as not sent.</summary>
    public void RefuseRepeat(MesaEnvelope input, Exception error, string errorId)
    {
        Interlocked.Increment(ref _finished);
        Settle(input, new SubmissionResult(input) { Error = error, ErrorId = errorId });
    }

    /// <summary>Refuses the claimed envelope here without sending it (an item error in its place), journaled as not sent.</summary>
    public void Refuse(MesaEnvelope input, Exception error, string errorId)
    {
        var result = new SubmissionResult(input) { Error = error, ErrorId = errorId };
        Record(result, NotSentEntry(input, error.Message));
        Settle(input, result);
    }

    /// <summary>The user declined the claimed envelope (-Confirm, -WhatIf): nothing is written in its place; journaled as not sent unless it was -WhatIf.</summary>
    public void Decline(MesaEnvelope input, bool whatIf)
    {
        var result = new SubmissionResult(input);
        if (whatIf)
        {
            Interlocked.Increment(ref _finished);
        }
        else
        {
            Record(result, NotSentEntry(input, "declined at the confirmation prompt"));
        }

        lock (_gate)
        {
            if (ReferenceEquals(_claimed, input)) _claimed = null;
        }
    }

    /// <summary>
    /// Starts sending the claimed envelope: a signed one from this thread up to the first wait for the network (the
    /// request is built and written, then the answer is awaited on a worker), an unsigned one wholly on a worker,
    /// which signs it first.
    /// </summary>
    public void Dispatch(MesaEnvelope input)
    {
        var result = new SubmissionResult(input);
        lock (_gate)
        {
            if (ReferenceEquals(_claimed, input)) _claimed = null;
            if (_stopping)
            {
                Record(result, NotSentEntry(input, "the run was stopped before it was sent"));
                return;
            }

            // Under the lock, so that a stop either sees this request in the window or keeps it from starting. For a
            // signed envelope the part before the network (building and writing the request) is a few microseconds;
            // handing it to a worker cost a thread-pool wake-up per envelope, on the cores the server needs.
            result.Completion = input.IsSigned ? SendAsync(result) : Task.Run(() => SendAsync(result));
            _window.Enqueue(result);
        }
    }

    /// <summary>Records a claimed envelope that was not settled (an exception or a stop came in between) as not sent.</summary>
    public void ReleaseClaim()
    {
        MesaEnvelope? claimed;
        lock (_gate)
        {
            claimed = _claimed;
            _claimed = null;
        }

        if (claimed is not null) Record(new SubmissionResult(claimed), NotSentEntry(claimed, "the run ended before it was sent"));
    }

    /// <summary>The oldest outstanding result (finished or not), or false when none is outstanding.</summary>
    public bool TryPeek(out SubmissionResult head)
    {
        lock (_gate)
        {
            return _window.TryPeek(out head!);
        }
    }

    /// <summary>Removes the oldest result once it has been written.</summary>
    public void Dequeue()
    {
        lock (_gate) _window.Dequeue();
    }

    /// <summary>
    /// Stops taking envelopes, lets the requests in flight finish (cancelling those still running after
    /// <paramref name="grace"/>), and records every received envelope not sent as <c>not_sent</c>. Blocks until
    /// that is done. Safe from any thread; later calls wait for the first.
    /// </summary>
    public void Stop(TimeSpan grace)
    {
        Task[] inFlight = [];
        MesaEnvelope[] unsent = [];
        var first = false;
        lock (_gate)
        {
            if (!_stopping)
            {
                first = true;
                _stopping = true;
                _stopDone.Reset();
                inFlight = _window.Select(r => r.Completion).ToArray();
                unsent = _received.ToArray();
                _received.Clear();
            }
        }

        if (!first)
        {
            // A stop already under way (on another thread) or done: wait until it has finished its account.
            _stopDone.Wait();
            return;
        }

        try
        {
            if (grace != Timeout.InfiniteTimeSpan) _cancel.CancelAfter(grace);
            try
            {
                Task.WaitAll(inFlight);
            }
            catch (AggregateException)
            {
                // Each worker catches its own failures; nothing to add here.
            }

            foreach (var envelope in unsent)
            {
                Record(new SubmissionResult(envelope), NotSentEntry(envelope, "the run was stopped before it was sent"));
            }
        }
        finally
        {
            _stopDone.Set();
        }
    }

    /// <summary>The account so far.</summary>
    public BulkSummary Summary(bool stopped) => new(
        ReceivedCount, Volatile.Read(ref _active), Volatile.Read(ref _flagged),
        new SortedDictionary<string, int>(_refused, StringComparer.Ordinal), Volatile.Read(ref _unknown),
        // Received but not otherwise accounted for: not sent (this also counts an envelope still being settled by a racing stop).
        Math.Max(0, ReceivedCount - Volatile.Read(ref _active) - Volatile.Read(ref _flagged) - _refused.Values.Sum() - Volatile.Read(ref _unknown) - Volatile.Read(ref _skipped)),
        Volatile.Read(ref _skipped), Elapsed, Journal?.Path, stopped);

    /// <summary>Waits for outstanding work (bounded by the stop's grace), records what was never sent, closes the journal.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Stop(GraceOf(_client));
        ReleaseClaim();
        Journal?.Dispose();
        _cancel.Dispose();
    }

    /// <summary>How long requests in flight may still run after a stop: the connection's timeout (100 s when it has none).</summary>
    public static TimeSpan GraceOf(MesaClient client) =>
        client.Timeout == Timeout.InfiniteTimeSpan ? TimeSpan.FromSeconds(100) : client.Timeout + TimeSpan.FromSeconds(1);

    private async Task SendAsync(SubmissionResult result)
    {
        var input = result.Input;
        using var listening = _listen ? MesaRequestLog.Listen(result.StartLog().Enqueue) : null;
        try
        {
            var envelope = input.IsSigned ? input : input.Sign(_keypair ?? throw new InvalidOperationException("No keypair to sign with."));
            var commitment = await _client.SubmitCommitmentAsync(envelope, _retry, _cancel.Token).ConfigureAwait(false);
            result.Commitment = commitment;
            Record(result, new JournalEntry
            {
                EnvelopeId = input.Id,
                Outcome = JournalOutcome.Landed,
                Time = DateTimeOffset.UtcNow,
                Server = _client.BaseUri.AbsoluteUri,
                DeliberationId = input.DeliberationId,
                CommitmentId = commitment.Id,
                Status = commitment.Status,
                Action = commitment.Decision.Action,
            });
        }
        catch (Exception ex)
        {
            result.Error = ex is OperationCanceledException
                ? new MesaOutcomeUnknownException(
                    $"The request for envelope {input.Id} was still running {GraceOf(_client).TotalSeconds:0} s after the stop and was cancelled; it may or may not have landed.",
                    MesaRoutes.SubmitCommitment.Method, new Uri(_client.BaseUri, MesaRoutes.SubmitCommitment.RelativePath()), ex)
                : ex;
            var outcome = OutcomeClassifier.Classify(result.Error);
            var mesa = result.Error as MesaException;
            Record(result, new JournalEntry
            {
                EnvelopeId = input.Id,
                Outcome = outcome,
                Time = DateTimeOffset.UtcNow,
                Server = _client.BaseUri.AbsoluteUri,
                DeliberationId = input.DeliberationId,
                HttpStatus = outcome == JournalOutcome.Refused ? mesa?.StatusCode : null,
                Code = outcome == JournalOutcome.Refused ? mesa?.Code ?? mesa?.ErrorClass : null,
                Reason = OneLine(result.Error.Message),
            });
        }
    }

    // Counts the outcome and journals it; a journal that cannot be written is carried to the pipeline thread.
    private void Record(SubmissionResult result, JournalEntry entry)
    {
        switch (entry.Outcome)
        {
            case JournalOutcome.Landed when entry.Status == "flagged":
                Interlocked.Increment(ref _flagged);
                break;
            case JournalOutcome.Landed:
                Interlocked.Increment(ref _active);
                break;
            case JournalOutcome.Refused:
                _refused.AddOrUpdate(entry.Code ?? "refused", 1, (_, n) => n + 1);
                break;
            case JournalOutcome.Unknown:
                Interlocked.Increment(ref _unknown);
                break;
            default:
                break; // not sent: counted as received minus the rest
        }

        Interlocked.Increment(ref _finished);

        // Not sent in this run says nothing new about an envelope an earlier run landed or lost the answer of (one a
        // stop or a prompt overtook before its journal check): a not_sent line would hide that, and a resume resend it.
        if (entry.Outcome == JournalOutcome.NotSent && Journal?.Latest(entry.EnvelopeId) is { Outcome: JournalOutcome.Landed or JournalOutcome.Unknown })
        {
            return;
        }

        try
        {
            Journal?.Append(entry);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            result.JournalFailure = ex;
        }
    }

    private void Settle(MesaEnvelope input, SubmissionResult result)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_claimed, input)) _claimed = null;
            _window.Enqueue(result);
        }
    }

    private JournalEntry NotSentEntry(MesaEnvelope input, string reason) => new()
    {
        EnvelopeId = input.Id,
        Outcome = JournalOutcome.NotSent,
        Time = DateTimeOffset.UtcNow,
        Server = _client.BaseUri.AbsoluteUri,
        DeliberationId = input.DeliberationId,
        Reason = reason,
    };

    private static string OneLine(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= 500 ? line : line[..500] + "...";
    }
}
