using System.Runtime;

namespace Mesa.LocalServer.Http;

/// <summary>
/// Bounds the memory large bodies take: at most <see cref="Slots"/> requests with a body over
/// <see cref="Threshold"/> bytes are read and handled at once (the others wait, their bytes held back by TCP). Each
/// costs several times its size in short-lived buffers and strings that the GC would otherwise let pile up on the
/// large object heap, so each one's end collects them, and once the last is done the heap is compacted and returned
/// to the operating system: an idle server goes back to its idle size instead of keeping the peak (a GC does not run
/// while nothing allocates).
/// </summary>
internal sealed class LargeBodyGate
{
    /// <summary>A body this size or larger takes a slot.</summary>
    public const int Threshold = 1024 * 1024;

    /// <summary>
    /// A body of unknown size (chunked) takes a slot once this much of it has been read: that is what it holds while it
    /// waits for one, rather than a full <see cref="Threshold"/>.
    /// </summary>
    public const int UnknownSizeThreshold = 64 * 1024;

    /// <summary>Large bodies handled at once: each costs a few times its size while it is parsed, verified and stored.</summary>
    public const int Slots = 1;

    private static readonly TimeSpan TrimDelay = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _slots = new(Slots, Slots);
    private readonly Lock _lock = new();
    private int _inUse;
    private long _generation;

    /// <summary>Waits for a slot; dispose the lease to give it back.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        lock (_lock)
        {
            _inUse++;
            _generation++;
        }

        return new Lease(this);
    }

    private void Exit()
    {
        long generation;
        bool idle;
        lock (_lock)
        {
            _inUse--;
            idle = _inUse == 0;
            generation = _generation;
        }

        // The finished request's buffers are garbage now; collecting them before the next large body starts keeps the
        // peak near one request's worth.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);
        _slots.Release();
        if (idle)
        {
            _ = TrimWhenStillIdleAsync(generation);
        }
    }

    private async Task TrimWhenStillIdleAsync(long generation)
    {
        await Task.Delay(TrimDelay).ConfigureAwait(false);
        lock (_lock)
        {
            // Another large body came in meanwhile: its own exit trims.
            if (_inUse != 0 || _generation != generation) return;
        }

        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        NativeHeap.Trim();
    }

    private sealed class Lease(LargeBodyGate gate) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) gate.Exit();
        }
    }
}
