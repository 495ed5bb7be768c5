using System.Diagnostics;

namespace Mesa.LocalServer.Http;

/// <summary>
/// The time a request body has to arrive (<see cref="RequestBodyReader.BodyDeadline"/>), counted only while the server
/// reads it: a wait for a large-body slot pauses it. <see cref="Token"/> is cancelled when the time is up or the client
/// goes away.
/// </summary>
internal sealed class BodyClock : IDisposable
{
    private readonly TimeSpan _deadline;
    private readonly CancellationTokenSource _source;
    private readonly Stopwatch _reading = new();

    public BodyClock(TimeSpan deadline, CancellationToken requestAborted)
    {
        _deadline = deadline;
        RequestAborted = requestAborted;
        _source = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
    }

    /// <summary>The request's own cancellation (the client went away), for waits the clock does not count.</summary>
    public CancellationToken RequestAborted { get; }

    /// <summary>Cancelled when the deadline passes or the client goes away.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>True when <see cref="Token"/> was cancelled by the deadline, not by the client.</summary>
    public bool Expired => _source.IsCancellationRequested && !RequestAborted.IsCancellationRequested;

    /// <summary>Starts (or resumes) counting.</summary>
    public void Start()
    {
        var left = _deadline - _reading.Elapsed;
        if (left <= TimeSpan.Zero)
        {
            _source.Cancel();
            return;
        }

        _reading.Start();
        _source.CancelAfter(left);
    }

    /// <summary>Stops counting until the next <see cref="Start"/>.</summary>
    public void Pause()
    {
        _source.CancelAfter(Timeout.InfiniteTimeSpan);
        _reading.Stop();
    }

    public void Dispose() => _source.Dispose();
}
