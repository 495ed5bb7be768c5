using System.Collections.Concurrent;

namespace Mesa.LocalServer.Http;

/// <summary>
/// Parses large bodies on one dedicated thread. System.Text.Json grows a document's token table in arrays rented from
/// the shared pool and returns each outgrown one there, and the pool keeps returned arrays per thread: spread over the
/// thread pool, a body of many small values left hundreds of MB on every thread that parsed one. On one thread the
/// next large parse reuses what the last one left, so what stays is bounded by one body's worth.
/// </summary>
internal static class LargeBodyParser
{
    private static readonly BlockingCollection<Action> Work = new();

    static LargeBodyParser()
    {
        var thread = new Thread(() =>
        {
            foreach (var item in Work.GetConsumingEnumerable()) item();
        })
        {
            IsBackground = true,
            Name = "Mesa large body parser",
        };
        thread.Start();
    }

    /// <summary>Runs <paramref name="parse"/> on the parser thread.</summary>
    public static Task<T> RunAsync<T>(Func<T> parse)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Work.Add(() =>
        {
            try
            {
                done.SetResult(parse());
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        });
        return done.Task;
    }
}
