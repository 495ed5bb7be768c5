using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Mesa.Client;
using Mesa.LocalServer.Tests.Support;
using Xunit.Abstractions;

namespace Mesa.LocalServer.Tests.EndToEnd;

/// <summary>
/// Memory under large bodies (issue 9 item 4), measured on the server as a real process (VmRSS from /proc): ten
/// 28 MB commitments keep it under 1 GB and it returns near its idle size within 30 s.
/// </summary>
public sealed class LargeBodyMemoryTests(ITestOutputHelper output) : IDisposable
{
    private const long Limit = 1024L * 1024 * 1024;
    private const int BodyBytes = 28 * 1024 * 1024;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string, int> Shapes => new()
    {
        { "one long string", 10 },
        { "one long string", 1 },
        { "many small values", 1 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task Ten_28_MB_commitments_keep_the_server_under_1_GB_and_it_returns_near_idle(string shape, int concurrency)
    {
        using var server = await TestServer.StartAsync("--db", Path.Combine(_dir.Path, "big.db"), "--admin-token", InProcessServer.AdminToken);
        using var client = server.CreateClient(InProcessServer.AdminToken);
        var keys = MesaKeypair.Generate();
        var principal = await client.CreatePrincipalAsync("big", keys.PublicKeyHex);
        await client.SetCapabilitiesAsync(principal.Id, new[] { "offer" }, InProcessServer.AdminToken);
        var deliberation = await client.CreateDeliberationAsync("big bodies");
        var body = BigEnvelope(shape, principal.Id, deliberation.Id, keys);
        Assert.InRange(body.Length, BodyBytes - 4096, BodyBytes);

        // Idle size after start and the small requests above.
        var idle = Rss(server.ProcessId);
        using var http = new HttpClient { BaseAddress = server.Uri, Timeout = TimeSpan.FromSeconds(120) };
        var peak = idle;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, Rss(server.ProcessId));
                await Task.Delay(20); // the sampling interval of the peak measurement, not a wait for something
            }
        });

        var watch = Stopwatch.StartNew();
        using var slots = new SemaphoreSlim(concurrency);
        var posts = Enumerable.Range(0, 10).Select(async _ =>
        {
            await slots.WaitAsync();
            try
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await http.PostAsync("/commitments", content);
                return (int)response.StatusCode;
            }
            finally
            {
                slots.Release();
            }
        }).ToList();
        var statuses = await Task.WhenAll(posts);
        var sent = watch.Elapsed;
        await sampling.CancelAsync();
        await sampler;
        Assert.All(statuses, s => Assert.Equal(201, s));

        // Back near idle: within 150 MB of the idle size, well within 30 s.
        var settled = Rss(server.ProcessId);
        var back = Stopwatch.StartNew();
        await WaitUntil.HoldsAsync(() => (settled = Rss(server.ProcessId)) <= idle + (150L << 20), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200));

        output.WriteLine($"{shape} x10 (concurrency {concurrency}): idle {idle >> 20} MB, peak {peak >> 20} MB, after {back.Elapsed.TotalSeconds:0.0} s {settled >> 20} MB; sent in {sent.TotalSeconds:0.0} s");
        Assert.True(peak < Limit, $"peak RSS {peak >> 20} MB");
        Assert.True(settled <= idle + (150L << 20), $"RSS {settled >> 20} MB 30 s after, idle was {idle >> 20} MB");
        // The detail of ten 28 MB commitments is ~290 MB: more than a client reads by default (64 MiB), so this one
        // reader raises its limit. (Not for 14 million small numbers: the test process would hold them as objects.)
        if (shape != "one long string") return;
        using var reader = new MesaClient(new MesaClientOptions { BaseUri = server.Uri, MaxResponseBytes = 1L << 30, Timeout = TimeSpan.FromMinutes(2) });
        Assert.Equal(10, (await reader.GetDeliberationAsync(deliberation.Id)).Commitments.Count);
    }

    private static byte[] BigEnvelope(string shape, string principalId, string deliberationId, MesaKeypair keys)
    {
        var room = BodyBytes - 1024;
        object terms = shape == "one long string"
            ? new Dictionary<string, object?> { ["blob"] = new string('x', room) }
            : new Dictionary<string, object?> { ["values"] = Enumerable.Range(0, room / 2).Select(i => i % 10).ToArray() };
        var envelope = MesaEnvelope.Create("offer", principalId, Payloads.Offer("big", (Dictionary<string, object?>)terms), deliberationId).Sign(keys);
        return envelope.ToWireBytes();
    }

    private static long Rss(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0]) * 1024;
            }
        }

        throw new InvalidOperationException("no VmRSS");
    }
}
