using System.Collections.Concurrent;

namespace Mesa.LocalServer.Http;

/// <summary>
/// Parses each large body on a thread of its own that ends with the parse. System.Text.Json grows a document's token
/// table in arrays rented from the shared pool and returns each outgrown one there, and the pool keeps returned arrays
/// in per-thread slots: on pool threads a body of many small values left hundreds of MB behind for good. A thread's
/// slots go with the thread, so what a large parse leaves is garbage as soon as its thread ends.
/// </summary>
internal static class LargeBodyParser
{
    /// <summary>Runs <paramref name="parse"/> on a new thread that ends when it is done.</summary>
    public static Task<T> RunAsync<T>(Func<T> parse)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                done.SetResult(parse());
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = "Mesa large body parser",
        };
        thread.Start();
        return done.Task;
    }
}
