using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Mesa.LocalServer.Hosting;
using Mesa.LocalServer.Http;
using Mesa.LocalServer.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Mesa.LocalServer.Tests.EndToEnd;

/// <summary>
/// The whole body must arrive within the body deadline (30 s; 2 s here, set through the internal option), on real
/// Kestrel over loopback sockets: a peer trickling just above the minimum rate gets 408 <c>body_too_slow</c> at the
/// deadline instead of holding the large-body slot for hours, and the slot is free again right after.
/// </summary>
public sealed class BodyDeadlineTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(2);

    private WebApplication _app = null!;
    private Uri _baseUri = null!;

    public async Task InitializeAsync()
    {
        var options = new ServerOptions
        {
            Listen = ListenAddress.Parse("http://127.0.0.1:0"),
            DatabasePath = ServerOptions.InMemoryDatabase,
            AdminToken = InProcessServer.AdminToken,
            BodyDeadline = Deadline,
        };
        _app = MesaServerApp.Build(options);
        await _app.StartAsync();
        _baseUri = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_large_body_trickled_above_the_minimum_rate_is_408_at_the_deadline_and_frees_the_slot()
    {
        // 20 KB/s: far above 240 B/s, so the rate check never fires; 1 MB would take close to a minute.
        var watch = Stopwatch.StartNew();
        var answer = await TrickleAsync($"Content-Length: {LargeBodyGate.Threshold}", chunked: false);
        AssertTooSlow(answer, watch.Elapsed);

        // The slot is free: a large body sent at once is read and answered (a title too long for the schema).
        var body = Encoding.ASCII.GetBytes("{\"title\":\"" + new string('t', LargeBodyGate.Threshold) + "\"}");
        var next = await RawHttp.SendAsync(_baseUri, Head($"Content-Length: {body.Length}"), body, TimeSpan.FromSeconds(30));
        Assert.Equal(422, next.Status);
        Assert.Equal("string_too_long", next.Json.GetProperty("detail")[0].GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_chunked_body_trickled_in_is_408_at_the_deadline_too()
    {
        var watch = Stopwatch.StartNew();
        var answer = await TrickleAsync("Transfer-Encoding: chunked", chunked: true);
        AssertTooSlow(answer, watch.Elapsed);
    }

    [Fact]
    public async Task A_small_body_trickled_in_is_408_at_the_deadline_too()
    {
        var watch = Stopwatch.StartNew();
        var answer = await TrickleAsync("Content-Length: 100000", chunked: false);
        AssertTooSlow(answer, watch.Elapsed);
    }

    [Fact]
    public async Task Waiting_for_a_large_body_slot_does_not_count_against_the_deadline()
    {
        var body = Encoding.ASCII.GetBytes("{\"title\":\"" + new string('t', LargeBodyGate.Threshold) + "\"}");
        Task<RawHttp.Answer> waiting;
        using (await _app.Services.GetRequiredService<LargeBodyGate>().EnterAsync(CancellationToken.None))
        {
            waiting = RawHttp.SendAsync(_baseUri, Head($"Content-Length: {body.Length}"), body, TimeSpan.FromSeconds(60));
            // Held for longer than the deadline: the request waits, unanswered.
            var first = await Task.WhenAny(waiting, Task.Delay(Deadline * 2));
            Assert.NotSame(waiting, first);
        }

        // Then read at full speed: the ordinary answer, not a 408.
        var answer = await waiting;
        Assert.Equal(422, answer.Status);
        Assert.Equal("string_too_long", answer.Json.GetProperty("detail")[0].GetProperty("type").GetString());
    }

    private static string Head(string framing) =>
        $"POST /deliberations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n{framing}";

    // Sends 1 KB every 50 ms until the server answers; returns the answer.
    private async Task<RawHttp.Answer> TrickleAsync(string framing, bool chunked)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(_baseUri.Host, _baseUri.Port);
        var stream = client.GetStream();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var answerTask = RawHttp.ReadAnswerAsync(stream, cts.Token);
        var piece = Encoding.ASCII.GetBytes(new string(' ', 1024));
        var framed = chunked ? Encoding.ASCII.GetBytes($"{piece.Length:x}\r\n").Concat(piece).Concat("\r\n"u8.ToArray()).ToArray() : piece;
        await stream.WriteAsync(Encoding.ASCII.GetBytes(Head(framing) + "\r\n\r\n"), cts.Token);
        while (!answerTask.IsCompleted)
        {
            try
            {
                await stream.WriteAsync(framed, cts.Token);
            }
            catch (IOException)
            {
                break; // answered and closed
            }

            await Task.WhenAny(answerTask, Task.Delay(50, cts.Token));
        }

        return await answerTask;
    }

    private static void AssertTooSlow(RawHttp.Answer answer, TimeSpan elapsed)
    {
        Assert.True(answer.Status == 408, $"{answer.Status}: {answer.Body}");
        var detail = answer.Json.GetProperty("detail");
        Assert.Equal("body_too_slow", detail.GetProperty("code").GetString());
        Assert.Equal("the request body did not arrive within 2 seconds; send it faster", detail.GetProperty("message").GetString());
        Assert.Equal("close", answer.Headers["connection"]);
        Assert.InRange(elapsed, Deadline - TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(20));
    }
}
