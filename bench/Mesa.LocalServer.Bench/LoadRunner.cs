using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace Mesa.LocalServer.Bench;

/// <summary>
/// Runs N concurrent clients (one keep-alive connection each) sending prepared requests back to back for a warm-up and
/// then a measured period; every answer must carry the expected status.
/// </summary>
internal sealed class LoadRunner(Uri baseUri, Func<TimeSpan> serverCpu)
{
    public async Task<LoadResult> RunAsync(
        string scenario, int clients, TimeSpan warmup, TimeSpan duration, Func<long, HttpRequestMessage> request, HttpStatusCode expected)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = clients, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var http = new HttpClient(handler) { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
        long sequence = 0;
        long counted = 0;
        long failures = 0;
        var measuring = false;
        var stop = false;
        var latencies = new List<double>[clients];
        string? firstFailure = null;

        async Task Worker(int index)
        {
            var mine = latencies[index] = new List<double>(100_000);
            while (!Volatile.Read(ref stop))
            {
                var n = Interlocked.Increment(ref sequence);
                using var message = request(n);
                var started = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(message);
                var body = await response.Content.ReadAsByteArrayAsync();
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (!Volatile.Read(ref measuring)) continue;
                if (response.StatusCode == expected)
                {
                    Interlocked.Increment(ref counted);
                    mine.Add(elapsed);
                }
                else
                {
                    Interlocked.Increment(ref failures);
                    firstFailure ??= $"{(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)}";
                }
            }
        }

        var workers = Enumerable.Range(0, clients).Select(i => Task.Run(() => Worker(i))).ToArray();
        await Task.Delay(warmup);
        var cpuBefore = serverCpu();
        var ownBefore = OwnCpu();
        Volatile.Write(ref measuring, true);
        var clock = Stopwatch.StartNew();
        await Task.Delay(duration);
        Volatile.Write(ref measuring, false);
        var elapsedTotal = clock.Elapsed;
        var cpu = serverCpu() - cpuBefore;
        var own = OwnCpu() - ownBefore;
        Volatile.Write(ref stop, true);
        await Task.WhenAll(workers);

        if (firstFailure is not null) Console.Error.WriteLine($"{scenario}: {failures} unexpected answers, the first: {firstFailure}");
        var all = latencies.SelectMany(l => l).Order().ToArray();
        double Percentile(double p) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)(p * all.Length))];
        return new LoadResult(scenario, clients, counted, failures, elapsedTotal, Percentile(0.50), Percentile(0.99), cpu, own);
    }

    // This process's CPU time (all threads): the load generator's own cost, to compare with a client's.
    private static TimeSpan OwnCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    /// <summary>A JSON POST of prepared bytes.</summary>
    public static HttpRequestMessage Post(string path, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
    }
}
