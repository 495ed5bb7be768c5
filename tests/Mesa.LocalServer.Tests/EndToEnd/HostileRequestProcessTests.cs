using System.Net.Sockets;
using System.Text;
using Mesa.Client;
using Mesa.LocalServer.Http;
using Mesa.LocalServer.Tests.Support;

namespace Mesa.LocalServer.Tests.EndToEnd;

/// <summary>
/// Requests only a real Kestrel sees (issue 9 items 3 and 5), sent on raw sockets: bodies over the limit (413), a body
/// that arrives too slowly (408), dot segments in the path (404). Never a 500, never an unhandled-failure log line.
/// </summary>
public sealed class HostileRequestProcessTests : IAsyncLifetime
{
    private LocalServerProcess _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync("--db", ":memory:", "--admin-token", InProcessServer.AdminToken);

    public Task DisposeAsync()
    {
        _server.Dispose();
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData(30_000_001L)]
    [InlineData(100L * 1024 * 1024)]
    [InlineData(1024L * 1024 * 1024)]
    public async Task A_declared_body_over_the_limit_is_413_without_reading_it(long length)
    {
        // Only the first bytes are sent: the answer must come from the Content-Length alone.
        var answer = await RawHttp.SendAsync(_server.Uri, Head("POST", "/commitments", $"Content-Length: {length}"), Encoding.ASCII.GetBytes("{\"id\":"));
        AssertTooLarge(answer);
        AssertNoFailureLogged();
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_413()
    {
        using var client = new TcpClient();
        await client.ConnectAsync(_server.Uri.Host, _server.Port);
        var stream = client.GetStream();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var answerTask = RawHttp.ReadAnswerAsync(stream, cts.Token);
        await stream.WriteAsync(Encoding.ASCII.GetBytes(Head("POST", "/deliberations", "Transfer-Encoding: chunked") + "\r\n\r\n"));
        var chunk = Encoding.ASCII.GetBytes(new string('a', 1024 * 1024));
        var framed = Encoding.ASCII.GetBytes($"{chunk.Length:x}\r\n").Concat(chunk).Concat("\r\n"u8.ToArray()).ToArray();
        try
        {
            await stream.WriteAsync("1\r\n[\r\n"u8.ToArray(), cts.Token);
            for (var sent = 0L; sent <= RequestBodyReader.MaxBodyBytes + chunk.Length && !answerTask.IsCompleted; sent += chunk.Length)
            {
                await stream.WriteAsync(framed, cts.Token);
            }
        }
        catch (IOException)
        {
            // The server answered and closed while the rest was still being sent.
        }

        AssertTooLarge(await answerTask);
        AssertNoFailureLogged();
    }

    [Fact]
    public async Task A_body_under_the_limit_is_still_read()
    {
        // Just under the limit, with Content-Length: an ordinary 422 (the title is too long), not a 413.
        var body = Encoding.ASCII.GetBytes("{\"title\":\"" + new string('t', 29_000_000) + "\"}");
        var answer = await RawHttp.SendAsync(_server.Uri, Head("POST", "/deliberations", $"Content-Length: {body.Length}"), body);
        Assert.Equal(422, answer.Status);
        Assert.Equal("string_too_long", answer.Json.GetProperty("detail")[0].GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_body_that_dribbles_in_too_slowly_is_408()
    {
        using var client = new TcpClient();
        await client.ConnectAsync(_server.Uri.Host, _server.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(Head("POST", "/deliberations", "Content-Length: 100000") + "\r\n\r\n{\"title\":\""));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        var answerTask = RawHttp.ReadAnswerAsync(stream, cts.Token);
        // One byte a second is far below the minimum rate; the server gives up after its grace period.
        while (!answerTask.IsCompleted)
        {
            try
            {
                await stream.WriteAsync("a"u8.ToArray(), cts.Token);
            }
            catch (IOException)
            {
                break;
            }

            await Task.WhenAny(answerTask, Task.Delay(1000, cts.Token));
        }

        var answer = await answerTask;
        Assert.Equal(408, answer.Status);
        Assert.Equal("body_too_slow", answer.Json.GetProperty("detail").GetProperty("code").GetString());
        Assert.Contains("240 bytes per second", answer.Json.GetProperty("detail").GetProperty("message").GetString());
        AssertNoFailureLogged();
    }

    [Theory]
    [InlineData("GET", "/principals/.")]
    [InlineData("GET", "/principals/%2e")]
    [InlineData("GET", "/principals/%2E")]
    [InlineData("GET", "/principals/..")]
    [InlineData("GET", "/principals/%2e%2E")]
    [InlineData("PUT", "/principals/%2e/capabilities")]
    [InlineData("GET", "/deliberations/.")]
    [InlineData("PATCH", "/deliberations/%2E")]
    [InlineData("POST", "/deliberations/./turns")]
    [InlineData("DELETE", "/_local/policies/%2e")]
    [InlineData("GET", "/principals/abc/%2e%2e")]
    public async Task A_dot_segment_is_404_not_found_not_a_redirect(string method, string target)
    {
        var body = method == "GET" || method == "DELETE" ? null : "{}"u8.ToArray();
        var extra = body is null ? "X-Admin-Token: " + InProcessServer.AdminToken : $"Content-Length: {body.Length}\r\nX-Admin-Token: {InProcessServer.AdminToken}";
        var answer = await RawHttp.SendAsync(_server.Uri, Head(method, target, extra), body);
        Assert.True(answer.Status == 404, $"{method} {target}: {answer.Status} {answer.Body}");
        Assert.Equal("""{"detail":"Not Found"}""", answer.Body);
        Assert.False(answer.Headers.ContainsKey("location"));
    }

    [Fact]
    public async Task Dots_inside_a_segment_are_an_ordinary_id()
    {
        var answer = await RawHttp.SendAsync(_server.Uri, Head("GET", "/principals/a.b", null));
        Assert.Equal(404, answer.Status);
        Assert.Equal("""{"detail":"principal not found"}""", answer.Body);
    }

    private static string Head(string method, string target, string? headers) =>
        $"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nConnection: close" + (headers is null ? "" : "\r\n" + headers);

    private static void AssertTooLarge(RawHttp.Answer answer)
    {
        Assert.True(answer.Status == 413, $"{answer.Status}: {answer.Body}");
        var detail = answer.Json.GetProperty("detail");
        Assert.Equal("body_too_large", detail.GetProperty("code").GetString());
        Assert.Contains("30000000 bytes", detail.GetProperty("message").GetString());
    }

    private void AssertNoFailureLogged()
    {
        var stderr = _server.StandardErrorText();
        Assert.DoesNotContain("Unhandled", stderr, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("fail:", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }
}
