using Microsoft.Data.Sqlite;

namespace Mesa.LocalServer.Storage;

/// <summary>
/// Checkpoints the WAL from a background task on its own connection. The request connection has automatic
/// checkpoints turned off, so no request waits for the fsyncs a checkpoint makes; the WAL still stays small.
/// Checkpoints only copy committed frames into the database file: they play no part in the durability of an
/// acknowledged write, which is in the WAL already.
/// </summary>
internal sealed class WalCheckpointer : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly SqliteConnection _connection;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public WalCheckpointer(string connectionString)
    {
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        using (var busy = _connection.CreateCommand())
        {
            busy.CommandText = "PRAGMA busy_timeout = 1000";
            busy.ExecuteNonQuery();
        }

        _loop = Task.Run(RunAsync);
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        using var checkpoint = _connection.CreateCommand();
        // PASSIVE never blocks the writer: it copies what it can and leaves the rest for the next round.
        checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                try
                {
                    checkpoint.ExecuteNonQuery();
                }
                catch (SqliteException)
                {
                    // Busy or locked this round; the next one catches up.
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends with the cancellation.
        }

        _connection.Dispose();
        _stop.Dispose();
    }
}
