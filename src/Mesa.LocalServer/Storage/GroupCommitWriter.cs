using System.Threading.Channels;

namespace Mesa.LocalServer.Storage;

/// <summary>
/// Group commit: writes queue up and one writer applies whatever has gathered in one transaction, then answers them
/// all. Under load many requests share one COMMIT (and its WAL pages); a lone request is committed at once. A request
/// is answered only after the transaction holding its write has committed.
/// </summary>
internal sealed class GroupCommitWriter : IDisposable
{
    private const int MaxBatch = 64;

    private readonly Channel<StoreWrite> _queue = Channel.CreateUnbounded<StoreWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Action<IReadOnlyList<StoreWrite>> _commitBatch;
    private readonly Task _loop;

    /// <param name="commitBatch">Applies a batch in one transaction and completes (or fails) every write of it.</param>
    public GroupCommitWriter(Action<IReadOnlyList<StoreWrite>> commitBatch)
    {
        _commitBatch = commitBatch;
        _loop = Task.Factory.StartNew(RunAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <summary>Queues <paramref name="apply"/>; the task ends when its transaction has committed.</summary>
    public Task<T> EnqueueAsync<T>(Func<T> apply)
    {
        var write = new PendingWrite<T>(apply);
        if (!_queue.Writer.TryWrite(write))
        {
            throw new ObjectDisposedException(nameof(GroupCommitWriter), "The store is closed.");
        }

        return write.Task;
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _loop.Wait(TimeSpan.FromSeconds(10));
    }

    private async Task RunAsync()
    {
        var batch = new List<StoreWrite>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var write)) batch.Add(write);
            try
            {
                _commitBatch(batch);
            }
            catch (Exception ex)
            {
                foreach (var write in batch) write.Fail(ex);
            }

            batch.Clear();
        }
    }
}
