using System.Collections.Concurrent;
using System.Management.Automation;
using System.Runtime.ExceptionServices;
using Mesa.Client;

namespace Mesa.PowerShell.Infrastructure;

/// <summary>
/// Base of every Mesa cmdlet: runs core calls with cancellation (Ctrl+C cancels the in-flight request), writes the
/// request log as verbose/debug records on the pipeline thread only, and turns core exceptions into ErrorRecords
/// with stable ids.
/// </summary>
public abstract class MesaCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Cancelled when the user presses Ctrl+C or the pipeline stops.</summary>
    protected CancellationToken StopToken => _stop.Token;

    /// <inheritdoc />
    protected override void StopProcessing() => _stop.Cancel();

    /// <summary>
    /// Runs an async core call to completion on the pipeline thread. Request logs are written as verbose and debug
    /// records here, never from the worker. Cancellation becomes <see cref="PipelineStoppedException"/>.
    /// </summary>
    protected T Await<T>(Func<CancellationToken, Task<T>> operation)
    {
        var log = new ConcurrentQueue<MesaRequestLog>();
        Task<T> task;
        var (verbose, debug) = WantedOutput();
        if (verbose || debug)
        {
            using (MesaRequestLog.Listen(log.Enqueue))
            {
                task = operation(StopToken);
            }
        }
        else
        {
            task = operation(StopToken); // nobody would read the log: the client then builds none of it
        }

        try
        {
            while (!task.Wait(20))
            {
                Drain(log);
            }
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count == 1)
        {
            Drain(log);
            if (ex.InnerException is OperationCanceledException && StopToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }

            ExceptionDispatchInfo.Capture(ex.InnerException!).Throw();
        }

        Drain(log);
        return task.Result;
    }

    /// <summary>Writes the queued request log as verbose (one line per request) and debug (bodies) records; pipeline thread only.</summary>
    protected void Drain(ConcurrentQueue<MesaRequestLog>? log)
    {
        if (log is null || log.IsEmpty) return;
        var (_, debug) = WantedOutput();
        while (log.TryDequeue(out var entry))
        {
            if (entry.Retry is not null)
            {
                WriteVerbose($"{entry.Method} {entry.Uri} -> {entry.Retry}");
                continue;
            }

            var status = entry.StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? entry.Failure ?? "no response";
            WriteVerbose($"{entry.Method} {entry.Uri} -> {status} ({entry.Duration.TotalMilliseconds:0} ms)");
            if (!debug) continue;
            if (entry.RequestBody is not null) WriteDebug($"Request body: {entry.RequestBody}");
            if (entry.ResponseBody is not null) WriteDebug($"Response body: {entry.ResponseBody}");
        }
    }

    /// <summary>
    /// Writes a verbose line, or a debug line when only debug output is wanted. Hides <see cref="Cmdlet.WriteVerbose"/>
    /// on purpose: with <c>-Debug</c> (and no <c>-Verbose</c>) the engine turns every verbose record into an Inquire
    /// prompt, which fails under <c>pwsh -NonInteractive</c>; debug records never prompt.
    /// </summary>
    protected new void WriteVerbose(string text)
    {
        var (verbose, debug) = WantedOutput();
        if (verbose) base.WriteVerbose(text);
        else if (debug) WriteDebug(text);
    }

    /// <summary>
    /// Writes a warning, or a debug line starting <c>WARNING:</c> when <c>-Debug</c> is set without <c>-WarningAction</c>.
    /// Hides <see cref="Cmdlet.WriteWarning"/> on purpose: with <c>-Debug</c> the engine turns a warning into an Inquire
    /// prompt as it does verbose records, which fails under <c>pwsh -NonInteractive</c>; debug records never prompt.
    /// </summary>
    protected new void WriteWarning(string text)
    {
        var bound = MyInvocation.BoundParameters;
        if (bound.TryGetValue("Debug", out var d) && IsOn(d) && !bound.ContainsKey("WarningAction"))
        {
            if (PreferenceOn("WarningPreference")) WriteDebug("WARNING: " + text);
            return;
        }

        base.WriteWarning(text);
    }

    /// <summary>True when verbose or debug output is wanted, so request logs are worth building at all.</summary>
    protected bool WantsRequestLog
    {
        get
        {
            var (verbose, debug) = WantedOutput();
            return verbose || debug;
        }
    }

    /// <summary>
    /// True when ShouldProcess can only answer yes without a word: no -WhatIf (nor <c>$WhatIfPreference</c>), no
    /// confirmation (-Confirm, or <c>$ConfirmPreference</c> at or below <paramref name="impact"/>), and no verbose or
    /// debug output (ShouldProcess writes the operation as a verbose line). A bulk cmdlet reads this once per call, as
    /// PowerShell reads those preferences once per command, and then skips building the prompt's texts per item.
    /// </summary>
    protected bool ShouldProcessIsSilent(ConfirmImpact impact)
    {
        var bound = MyInvocation.BoundParameters;
        var whatIf = bound.TryGetValue("WhatIf", out var w) ? IsOn(w) : LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));
        var confirm = bound.TryGetValue("Confirm", out var c) ? IsOn(c)
            : !LanguagePrimitives.TryConvertTo<ConfirmImpact>(GetVariableValue("ConfirmPreference"), out var preference)
              || (preference != ConfirmImpact.None && preference <= impact);
        return !whatIf && !confirm && !WantsRequestLog;
    }

    // Which of the two streams the user asked for. -Verbose (or -Verbose:$false) decides verbose; -Debug alone means a
    // verbose record would prompt, so verbose lines go to debug; otherwise the preference variables decide.
    private (bool Verbose, bool Debug) WantedOutput()
    {
        var bound = MyInvocation.BoundParameters;
        var debugBound = bound.TryGetValue("Debug", out var d);
        var debug = debugBound ? IsOn(d) : PreferenceOn("DebugPreference");
        var verbose = bound.TryGetValue("Verbose", out var v) ? IsOn(v)
            : !(debugBound && IsOn(d)) && PreferenceOn("VerbosePreference");
        return (verbose, debug);
    }

    private static bool IsOn(object? value) => value is SwitchParameter s ? s.IsPresent : LanguagePrimitives.IsTrue(value);

    private bool PreferenceOn(string name) =>
        LanguagePrimitives.TryConvertTo<ActionPreference>(GetVariableValue(name), out var preference)
        && preference is not (ActionPreference.SilentlyContinue or ActionPreference.Ignore);

    /// <summary>Writes a non-terminating error about one input item; the pipeline carries on.</summary>
    protected void WriteItemError(Exception exception, object? target) => WriteError(ErrorRecords.From(exception, target));

    /// <summary>Stops the cmdlet with a terminating error.</summary>
    protected void ThrowError(Exception exception, object? target) => ThrowTerminatingError(ErrorRecords.From(exception, target));

    /// <summary>Wraps a model with its PSTypeName for scripts and pipelines (<see cref="ModuleOutput.Wrap"/>).</summary>
    protected static PSObject Wrap(object model, string typeName) => ModuleOutput.Wrap(model, typeName);

    /// <summary>
    /// Checks the client's admin token with a probe that changes nothing (<see cref="AdminTokenCheck"/>). A token the
    /// server refuses is a terminating <c>AdminTokenRejected</c> error; when the server cannot tell (no token
    /// configured there, an unexpected answer) a warning says so and the work goes on.
    /// </summary>
    /// <param name="client">The client holding the token.</param>
    /// <param name="tokenSource">Where the token came from, for the messages (never the token itself).</param>
    /// <param name="onRejected">Runs before the error is thrown (such as disposing a client that will not be kept).</param>
    protected void CheckAdminToken(MesaClient client, string tokenSource, Action? onRejected = null)
    {
        var (verdict, answer) = Await(ct => AdminTokenCheck.RunAsync(client, ct));
        var server = client.BaseUri;
        switch (verdict)
        {
            case AdminTokenVerdict.Accepted:
                WriteVerbose($"The server at {server} accepted the admin token {tokenSource}.");
                return;
            case AdminTokenVerdict.Disabled:
                WriteWarning(
                    $"The server at {server} has no admin token configured (admin_disabled), so it cannot check the admin token {tokenSource}, and Set-MesaCapability will be refused there whatever the token. Start the server with an admin token (MESA_ADMIN_TOKEN, or Start-MesaLocalServer without -NoAdminToken).");
                return;
            case AdminTokenVerdict.Unknown:
                WriteWarning(
                    $"Could not check the admin token {tokenSource}: the server at {server} answered the check with {answer!.StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no answer"} ({answer.Message}). Set-MesaCapability will tell whether the token works.");
                return;
        }

        onRejected?.Invoke();
        ThrowTerminatingError(ErrorIds.AdminTokenRejectedError(server, tokenSource, answer!));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what the cmdlet holds; PowerShell calls it once the pipeline is done, however it ended.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing) _stop.Dispose();
    }
}
