using System.Globalization;
using System.Management.Automation;
using Mesa.Client;
using Mesa.PowerShell.Bulk;
using Mesa.PowerShell.Infrastructure;

namespace Mesa.PowerShell.Commands;

/// <summary>
/// Posts signed envelopes as commitments and returns, per envelope, the commitment with the policy decision.
/// Unsigned envelopes are signed with <c>-Keypair</c>; without it they are refused (no request is made). A refused
/// or failed envelope is a non-terminating error, so the rest of a bulk submission carries on. With
/// <c>-ThrottleLimit</c> several requests are in flight at once (results still in input order); <c>-JournalPath</c>
/// records every outcome so a rerun resumes. The engine is <see cref="BulkSubmitter"/>; this class only binds and writes.
/// </summary>
[Cmdlet(VerbsLifecycle.Submit, "MesaCommitment", SupportsShouldProcess = true)]
[OutputType(typeof(MesaCommitment))]
public sealed class SubmitMesaCommitmentCommand : MesaConnectedCmdlet
{
    /// <summary>The information-stream tag of the end-of-run summary.</summary>
    public const string SummaryTag = "MesaSummary";

    private volatile BulkSubmitter? _engine;
    private ProgressMeter? _progress;
    private MesaConnection? _connection;
    private readonly object _stopReport = new();
    private bool _stopReported;
    private bool _finished; // EndProcessing ran, or this cmdlet ended the run with its own terminating error
    private bool _silentShouldProcess;

    /// <summary>The envelopes to post, usually from New-MesaEnvelope through the pipeline; an array gives the progress display a total.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNull]
    public MesaEnvelope[] Envelope { get; set; } = null!;

    /// <summary>Signs envelopes that are not signed yet.</summary>
    [Parameter]
    public MesaKeypair? Keypair { get; set; }

    /// <summary>How many requests may be in flight at once (1, the default, sends one at a time).</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 1;

    /// <summary>Retries of a request that provably was not processed; default: the connection's.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int MaximumRetryCount { get; set; }

    /// <summary>The first wait between retries, in seconds; default: the connection's.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int RetryIntervalSec { get; set; }

    /// <summary>A JSON Lines file recording each envelope's outcome; a rerun with it skips what landed.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? JournalPath { get; set; }

    /// <summary>Resends envelopes the journal records as <c>unknown</c> (they may have landed already).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var engine = _engine ?? Start();
        engine.Receive(Envelope);
        while (true)
        {
            ThrowIfStopping(engine);
            var input = engine.TakeNext();
            if (input is null) break;
            try
            {
                Handle(engine, input);
            }
            finally
            {
                engine.ReleaseClaim();
            }

            WriteReady(engine, all: false);
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var engine = _engine;
        if (engine is null) return;
        WriteReady(engine, all: true);
        _finished = true;
        if (_progress!.Shown) WriteProgress(ProgressMeter.Completed());
        if (engine.ReceivedCount > 1)
        {
            WriteInformation(engine.Summary(stopped: false), [SummaryTag]);
        }

        if (engine.Journal is not null) WriteVerbose($"Every outcome is recorded in the journal {engine.Journal.Path}.");
        engine.Dispose();
    }

    /// <summary>
    /// Ctrl+C: stop taking envelopes, let the requests in flight finish (a request still running one connection
    /// timeout later is cancelled and recorded as unknown), record the rest as not sent, and tell the user the
    /// account. The pipeline is stopping, so no Write* reaches anyone now: the account goes to the host directly.
    /// </summary>
    protected override void StopProcessing()
    {
        var engine = _engine;
        if (engine is not null) ReportStop(engine);
        base.StopProcessing();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && _engine is { } engine)
        {
            // PowerShell stops on another thread and does not make Dispose wait for StopProcessing: the pipeline thread
            // can unwind (an upstream Start-Sleep wakes first) and pwsh -Command/-File exit before StopProcessing has
            // told the account, or before it is even called. So a run cut short tells it here, on the pipeline thread,
            // or waits until the StopProcessing under way has.
            if (!_finished)
            {
                ReportStop(engine);
            }
            else
            {
                lock (_stopReport)
                {
                    // A StopProcessing that came after the last result finishes its account before the pipeline ends.
                }
            }

            engine.Dispose();
        }

        base.Dispose(disposing);
    }

    // Once per run, from whichever thread gets here first; the other waits on the lock until the account is out.
    private void ReportStop(BulkSubmitter engine)
    {
        lock (_stopReport)
        {
            if (_stopReported) return;
            _stopReported = true;
            engine.Stop(BulkSubmitter.GraceOf(_connection!.Client));
            var summary = engine.Summary(stopped: true);
            var advice = engine.Journal is null
                ? "Nothing else recorded which envelopes landed; use -JournalPath to be able to resume."
                : "It records the outcome of every envelope received; run again with the same -JournalPath to send the rest.";
            try
            {
                Host?.UI?.WriteWarningLine(summary + " " + advice);
            }
            catch (Exception ex) when (ex is PipelineStoppedException or NotImplementedException or InvalidOperationException)
            {
                // A host without a UI: the journal on disk is the account.
            }
        }
    }

    private BulkSubmitter Start()
    {
        var connection = ResolveConnection();
        MesaRetryOptions? retry = null;
        if (MyInvocation.BoundParameters.ContainsKey(nameof(MaximumRetryCount)) || MyInvocation.BoundParameters.ContainsKey(nameof(RetryIntervalSec)))
        {
            var defaults = connection.Client.Retry;
            retry = new MesaRetryOptions(
                MyInvocation.BoundParameters.ContainsKey(nameof(MaximumRetryCount)) ? MaximumRetryCount : defaults.MaximumRetryCount,
                MyInvocation.BoundParameters.ContainsKey(nameof(RetryIntervalSec)) ? TimeSpan.FromSeconds(RetryIntervalSec) : defaults.RetryInterval);
        }

        SubmissionJournal? journal = null;
        if (JournalPath is not null)
        {
            string path;
            try
            {
                path = FileSystemPaths.Resolve(SessionState, JournalPath);
            }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(ErrorIds.JournalUnavailableError(ex, JournalPath));
                throw;
            }

            // -WhatIf changes nothing on disk: without a journal yet there is nothing to read, so none is made.
            if (IsWhatIf() && !File.Exists(path))
            {
                WriteVerbose($"What if: the journal {path} would be created.");
            }
            else
            {
                journal = OpenJournal(path, connection);
            }

            if (journal?.Warning is not null) WriteWarning(journal.Warning);
            if (journal is not null) WriteVerbose($"Journal {journal.Path}: {journal.LineCount} line(s) from earlier runs.");
        }

        // An array bound by name (not from the pipeline) tells how many envelopes there are.
        _progress = new ProgressMeter(MyInvocation.ExpectingInput ? null : Envelope.Length);
        _connection = connection;
        _silentShouldProcess = ShouldProcessIsSilent(ConfirmImpact.Medium);
        return _engine = new BulkSubmitter(connection.Client, retry, Keypair, ThrottleLimit, journal, Force, WantsRequestLog);
    }

    private SubmissionJournal OpenJournal(string path, MesaConnection connection)
    {
        try
        {
            return SubmissionJournal.Open(path, connection.Client.BaseUri.AbsoluteUri);
        }
        catch (JournalException ex)
        {
            ThrowTerminatingError(ErrorRecords.FromJournal(ex, path));
            throw; // not reached: ThrowTerminatingError throws
        }
    }

    private bool IsWhatIf() =>
        MyInvocation.BoundParameters.TryGetValue("WhatIf", out var bound)
            ? bound is SwitchParameter { IsPresent: true }
            : LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));

    private void Handle(BulkSubmitter engine, MesaEnvelope input)
    {
        if (engine.IsRepeat(input))
        {
            engine.RefuseRepeat(input, ErrorIds.DuplicateEnvelopeError(input, engine.Journal!.Path).Exception, ErrorIds.DuplicateEnvelope);
            return;
        }

        if (engine.TrySkip(input)) return;
        if (!input.IsSigned && Keypair is null)
        {
            engine.Refuse(input, ErrorIds.EnvelopeNotSignedError(input, "sent", "pass -Keypair to sign it here").Exception, ErrorIds.EnvelopeNotSigned);
            return;
        }

        var connection = _connection!;
        if (input.Profile != connection.Profile)
        {
            WriteWarning(
                $"Envelope {input.Id} is signed under the {input.Profile} profile but {connection.Uri} speaks {connection.Profile}; the server will likely refuse the signature. Make it with New-MesaEnvelope -Profile {connection.Profile}.");
        }

        if (_silentShouldProcess)
        {
            engine.Dispatch(input);
            return;
        }

        var target = $"{input.Type} envelope {input.Id} from {input.EmittedBy}";
        var action = $"Submit commitment to {connection.Uri}";
        var description = string.Format(CultureInfo.CurrentCulture, "Performing the operation \"{0}\" on target \"{1}\".", action, target);
        if (!ShouldProcess(description, "Are you sure you want to perform this action?" + Environment.NewLine + description, "Confirm", out var reason))
        {
            engine.Decline(input, reason == ShouldProcessReason.WhatIf);
            return;
        }

        engine.Dispatch(input);
    }

    // Writes finished results in input order; with all=false only until the window has room again.
    private void WriteReady(BulkSubmitter engine, bool all)
    {
        while (engine.TryPeek(out var head))
        {
            if (!head.Completion.IsCompleted)
            {
                if (!all && !engine.IsFull) return;
                while (!head.Completion.Wait(20))
                {
                    ThrowIfStopping(engine);
                    Drain(head.Log);
                    ShowProgress(engine);
                }
            }

            ThrowIfStopping(engine);
            engine.Dequeue();
            Write(head);
            ShowProgress(engine);
        }
    }

    private void Write(SubmissionResult result)
    {
        Drain(result.Log);
        if (result.Verbose is not null)
        {
            WriteVerbose(result.Verbose);
        }
        else if (result.Commitment is not null)
        {
            WriteObject(WrapCommitment(result.Commitment));
        }
        else if (result.Error is not null)
        {
            WriteError(ErrorRecords.FromSubmission(result.Error, result.ErrorId, result.Input));
        }

        if (result.JournalFailure is not null)
        {
            _finished = true; // the error tells what happened; the journal is not a complete account to point at
            ThrowTerminatingError(ErrorIds.JournalWriteFailedError(result.Input, _engine?.Journal?.Path, result.JournalFailure));
        }
    }

    private void ShowProgress(BulkSubmitter engine)
    {
        if (_progress!.Next(engine.FinishedCount, engine.Elapsed) is { } record) WriteProgress(record);
    }

    // Once a stop began, the pipeline is going away: end the call rather than write into it.
    private static void ThrowIfStopping(BulkSubmitter engine)
    {
        if (engine.Stopping) throw new PipelineStoppedException();
    }

    // Nested objects get their type names too, so the decision and policy views apply when they are shown alone.
    private static PSObject WrapCommitment(MesaCommitment commitment)
    {
        Wrap(commitment.Decision, TypeNames.Decision);
        foreach (var applied in commitment.Decision.Applied)
        {
            Wrap(applied, TypeNames.AppliedPolicy);
        }

        return Wrap(commitment, TypeNames.Commitment);
    }
}
