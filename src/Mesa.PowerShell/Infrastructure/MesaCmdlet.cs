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
        using (MesaRequestLog.Listen(log.Enqueue))
        {
            task = operation(StopToken);
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
    protected void Drain(ConcurrentQueue<MesaRequestLog> log)
    {
        while (log.TryDequeue(out var entry))
        {
            var status = entry.StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? entry.Failure ?? "no response";
            WriteVerbose($"{entry.Method} {entry.Uri} -> {status} ({entry.Duration.TotalMilliseconds:0} ms)");
            if (entry.RequestBody is not null) WriteDebug($"Request body: {entry.RequestBody}");
            if (entry.ResponseBody is not null) WriteDebug($"Response body: {entry.ResponseBody}");
        }
    }

    /// <summary>Writes a non-terminating error about one input item; the pipeline carries on.</summary>
    protected void WriteItemError(Exception exception, object? target) => WriteError(ErrorRecords.From(exception, target));

    /// <summary>Stops the cmdlet with a terminating error.</summary>
    protected void ThrowError(Exception exception, object? target) => ThrowTerminatingError(ErrorRecords.From(exception, target));

    /// <summary>Stops the cmdlet with a terminating error of the given id and category.</summary>
    protected void ThrowError(string message, string errorId, ErrorCategory category, object? target, string? recommendedAction = null)
    {
        var record = new ErrorRecord(new InvalidOperationException(message), errorId, category, target);
        if (recommendedAction is not null) record.ErrorDetails = new ErrorDetails(message) { RecommendedAction = recommendedAction };
        ThrowTerminatingError(record);
    }

    /// <summary>Wraps a model with its PSTypeName so format views and pipelines find it.</summary>
    protected static PSObject Wrap(object model, string typeName)
    {
        var pso = PSObject.AsPSObject(model);
        if (!pso.TypeNames.Contains(typeName)) pso.TypeNames.Insert(0, typeName);
        return pso;
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
