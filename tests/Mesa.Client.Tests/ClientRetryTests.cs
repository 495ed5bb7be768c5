using System.Diagnostics;
using Mesa.Client.Tests.Support;

namespace Mesa.Client.Tests;

/// <summary>
/// Retries and lost answers against real loopback fault servers: only what provably was not processed is retried
/// (refused connections, 429/502/503/504); a request whose answer was lost is never re-sent, and for a write it is
/// <see cref="MesaOutcomeUnknownException"/>. Requests are counted at the server.
/// </summary>
public class ClientRetryTests
{
    private const string Commitment =
        "{\"id\":\"c1\",\"type\":\"offer\",\"principal_id\":\"p1\",\"status\":\"active\",\"decision\":{\"action\":\"allow\",\"applied\":[]}}";

    private static readonly MesaKeypair Keys = MesaKeypair.FromPrivateKeyHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");

    private static MesaEnvelope Envelope() =>
        MesaEnvelope.Create("offer", "p1", new Dictionary<string, object?> { ["summary"] = "s" }, "d-42").Sign(Keys);

    private static MesaClient ClientFor(Uri uri, int retries, TimeSpan? interval = null, TimeSpan? timeout = null) =>
        new(new MesaClientOptions
        {
            BaseUri = uri,
            Retry = new MesaRetryOptions(retries, interval ?? TimeSpan.FromMilliseconds(20)),
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        });

    [Fact]
    public async Task A_503_then_201_succeeds_after_one_retry_and_the_retry_is_logged()
    {
        await using var server = FaultServer.Start((i, _, s, _) => i == 0 ? FaultServer.Respond(s, 503, "{\"detail\":\"restarting\"}") : FaultServer.Respond(s, 201, Commitment));
        using var client = ClientFor(server.BaseUri, 3);
        var log = new List<MesaRequestLog>();

        MesaCommitment result;
        using (MesaRequestLog.Listen(e => { lock (log) log.Add(e); }))
        {
            result = await client.SubmitCommitmentAsync(Envelope());
        }

        Assert.Equal("c1", result.Id);
        Assert.Equal(2, server.RequestCount);
        var retry = Assert.Single(log, e => e.Retry is not null);
        Assert.StartsWith("503, retry 1 of 3 in ", retry.Retry);
        Assert.EndsWith(" s", retry.Retry);
        Assert.Equal("POST", retry.Method);
        Assert.Contains("-> 503, retry 1 of 3 in ", retry.ToString());
        Assert.Equal([503, null, 201], log.Select(e => e.StatusCode));
    }

    [Fact]
    public async Task The_per_call_retry_setting_overrides_the_clients_default()
    {
        await using var server = FaultServer.Start((i, _, s, _) => i == 0 ? FaultServer.Respond(s, 502, "") : FaultServer.Respond(s, 201, Commitment));
        using var client = ClientFor(server.BaseUri, 0);

        var result = await client.SubmitCommitmentAsync(Envelope(), new MesaRetryOptions(1, TimeSpan.FromMilliseconds(10)));

        Assert.Equal("c1", result.Id);
        Assert.Equal(2, server.RequestCount);
    }

    [Fact]
    public async Task A_429_with_Retry_After_in_seconds_is_honoured()
    {
        var times = new List<TimeSpan>();
        var watch = Stopwatch.StartNew();
        await using var server = FaultServer.Start((i, _, s, _) =>
        {
            lock (times) times.Add(watch.Elapsed);
            return i == 0 ? FaultServer.Respond(s, 429, "{\"detail\":\"slow down\"}", "Retry-After: 1") : FaultServer.Respond(s, 200, "{\"status\":\"ok\"}");
        });
        using var client = ClientFor(server.BaseUri, 2, TimeSpan.FromMilliseconds(10));
        var log = new List<MesaRequestLog>();

        using (MesaRequestLog.Listen(e => { lock (log) log.Add(e); }))
        {
            await client.GetHealthAsync();
        }

        Assert.Equal(2, times.Count);
        Assert.True(times[1] - times[0] >= TimeSpan.FromMilliseconds(950), $"waited only {(times[1] - times[0]).TotalMilliseconds} ms");
        Assert.Equal("429, retry 1 of 2 in 1.0 s", Assert.Single(log, e => e.Retry is not null).Retry);
    }

    [Fact]
    public async Task A_503_with_Retry_After_as_an_http_date_is_honoured()
    {
        var times = new List<TimeSpan>();
        var watch = Stopwatch.StartNew();
        await using var server = FaultServer.Start((i, _, s, _) =>
        {
            lock (times) times.Add(watch.Elapsed);
            var date = DateTimeOffset.UtcNow.AddSeconds(3).ToString("r", System.Globalization.CultureInfo.InvariantCulture);
            return i == 0 ? FaultServer.Respond(s, 503, "", "Retry-After: " + date) : FaultServer.Respond(s, 200, "{\"status\":\"ok\"}");
        });
        using var client = ClientFor(server.BaseUri, 1, TimeSpan.FromMilliseconds(10));

        await client.GetHealthAsync();

        // The date has whole seconds: 3 s ahead, rounded down, is at least 2 s away.
        Assert.True(times[1] - times[0] >= TimeSpan.FromMilliseconds(1900), $"waited only {(times[1] - times[0]).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task A_Retry_After_beyond_the_cap_is_cut_to_five_minutes()
    {
        await using var server = FaultServer.Start((_, _, s, _) => FaultServer.Respond(s, 503, "", "Retry-After: 864000")); // ten days
        using var client = ClientFor(server.BaseUri, 1, TimeSpan.FromMilliseconds(10));
        using var cts = new CancellationTokenSource();
        var retry = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);

        Task<MesaHealth> call;
        using (MesaRequestLog.Listen(e => { if (e.Retry is not null) retry.TrySetResult(e.Retry); }))
        {
            call = client.GetHealthAsync(cts.Token);
        }

        Assert.Equal("503, retry 1 of 1 in 300.0 s", await retry.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(1, server.RequestCount);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(501)]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(409)]
    [InlineData(422)]
    public async Task Other_errors_are_not_retried(int status)
    {
        await using var server = FaultServer.Start((_, _, s, _) => FaultServer.Respond(s, status, "{\"detail\":\"no\"}"));
        using var client = ClientFor(server.BaseUri, 3);

        var ex = await Assert.ThrowsAnyAsync<MesaException>(() => client.SubmitCommitmentAsync(Envelope()));

        Assert.Equal(status, ex.StatusCode);
        Assert.Equal(1, server.RequestCount);
        Assert.DoesNotContain("attempts", ex.Message);
    }

    [Fact]
    public async Task A_refused_connection_is_retried_until_a_server_appears()
    {
        var uri = CannedServer.ClosedPortUri();
        using var client = ClientFor(uri, 20, TimeSpan.FromMilliseconds(100));
        var firstRetry = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new List<MesaRequestLog>();

        Task<MesaCommitment> submit;
        using (MesaRequestLog.Listen(e =>
        {
            lock (log) log.Add(e);
            if (e.Retry is not null) firstRetry.TrySetResult();
        }))
        {
            submit = client.SubmitCommitmentAsync(Envelope());
        }

        await firstRetry.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await using var server = FaultServer.Start((_, _, s, _) => FaultServer.Respond(s, 201, Commitment), uri.Port);
        var result = await submit.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("c1", result.Id);
        Assert.Equal(1, server.RequestCount);
        lock (log) Assert.Contains(log, e => e.Retry?.StartsWith("connection refused, retry 1 of 20 in ", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Exhausted_retries_give_the_last_error_saying_how_many_attempts()
    {
        await using var server = FaultServer.Start((i, _, s, _) => FaultServer.Respond(s, 503, $"{{\"detail\":\"down {i}\"}}"));
        using var client = ClientFor(server.BaseUri, 2, TimeSpan.FromMilliseconds(10));

        var ex = await Assert.ThrowsAsync<MesaException>(() => client.GetPrincipalsAsync());

        Assert.Equal(3, server.RequestCount);
        Assert.Equal(503, ex.StatusCode);
        Assert.Equal("ServerError", ex.ErrorClass);
        Assert.Equal("down 2 (gave up after 3 attempts: the first and 2 retries)", ex.Message);
        Assert.Equal("down 2", ex.Detail);
    }

    [Fact]
    public async Task Exhausted_retries_on_a_refused_connection_say_so()
    {
        using var client = ClientFor(CannedServer.ClosedPortUri(), 2, TimeSpan.FromMilliseconds(10));

        var ex = await Assert.ThrowsAsync<MesaException>(() => client.GetHealthAsync());

        Assert.Equal("ConnectionFailed", ex.ErrorClass);
        Assert.Contains("Could not reach", ex.Message);
        Assert.EndsWith("(gave up after 3 attempts: the first and 2 retries)", ex.Message);
        Assert.IsType<HttpRequestException>(ex.InnerException);
    }

    [Fact]
    public async Task A_server_that_reads_the_commitment_then_drops_the_connection_gives_outcome_unknown_and_no_resend()
    {
        await using var server = FaultServer.Start((_, _, _, _) => Task.FromResult(false));
        using var client = ClientFor(server.BaseUri, 3);

        var ex = await Assert.ThrowsAsync<MesaOutcomeUnknownException>(() => client.SubmitCommitmentAsync(Envelope()));

        Assert.Equal(1, server.RequestCount);
        Assert.Equal("OutcomeUnknown", ex.ErrorClass);
        Assert.Contains("may or may not have landed", ex.Message);
        Assert.Contains("deliberation d-42", ex.Message);
        Assert.Contains("closed the connection", ex.Message);
        Assert.DoesNotContain("Could not reach", ex.Message);
        Assert.Equal("POST", ex.Method);
    }

    [Fact]
    public async Task A_turn_whose_answer_is_lost_names_the_transcript_to_check()
    {
        await using var server = FaultServer.Start((_, _, _, _) => Task.FromResult(false));
        using var client = ClientFor(server.BaseUri, 3);
        var turn = MesaEnvelope.Create("turn", "p1", new Dictionary<string, object?> { ["content"] = "hi" }, "d-42").Sign(Keys);

        var ex = await Assert.ThrowsAsync<MesaOutcomeUnknownException>(() => client.AddTurnAsync("d-42", turn));

        Assert.Equal(1, server.RequestCount);
        Assert.Contains("The turn may or may not have been added: check the transcript of deliberation d-42", ex.Message);
    }

    [Fact]
    public async Task A_raw_commitment_post_whose_answer_is_lost_gets_the_commitment_hint_from_its_route()
    {
        // SendRawAsync knows no envelope type; the hint comes from the route the path matches (MesaRoutes), not from
        // parsing the path in the error code.
        await using var server = FaultServer.Start((_, _, _, _) => Task.FromResult(false));
        using var client = ClientFor(server.BaseUri, 3);

        var ex = await Assert.ThrowsAsync<MesaOutcomeUnknownException>(() => client.SendRawAsync(HttpMethod.Post, "/commitments", Envelope().ToWireJson()));

        Assert.Equal(1, server.RequestCount);
        Assert.Contains("The commitment may or may not have landed", ex.Message);
    }

    [Fact]
    public async Task A_commitment_dropped_on_a_reused_pooled_connection_is_not_resent_by_the_handler()
    {
        // The first request (a GET) is answered and the connection kept; the POST on that same connection is read and
        // then dropped. SocketsHttpHandler re-sends a request found on a dead pooled connection only before it started
        // sending the body, so exactly two requests reach the server over one connection.
        await using var server = FaultServer.Start((i, _, s, _) => i == 0 ? FaultServer.Respond(s, 200, "{\"status\":\"ok\"}") : Task.FromResult(false));
        using var client = ClientFor(server.BaseUri, 3);

        await client.GetHealthAsync();
        await Assert.ThrowsAsync<MesaOutcomeUnknownException>(() => client.SubmitCommitmentAsync(Envelope()));

        Assert.Equal(2, server.RequestCount);
        Assert.Equal(1, server.ConnectionCount);
    }

    [Fact]
    public async Task A_write_without_a_body_dropped_on_a_reused_pooled_connection_is_not_resent_either()
    {
        // Without content, SocketsHttpHandler would re-send this POST on new connections (measured: 5 requests over
        // 4 connections); the client sends an empty body with every write so that it cannot.
        await using var server = FaultServer.Start((i, _, s, _) => i == 0 ? FaultServer.Respond(s, 200, "{\"status\":\"ok\"}") : Task.FromResult(false));
        using var client = ClientFor(server.BaseUri, 3);

        await client.GetHealthAsync();
        await Assert.ThrowsAsync<MesaOutcomeUnknownException>(() => client.SendRawAsync(HttpMethod.Post, "anything"));

        Assert.Equal(2, server.RequestCount);
        Assert.Equal(1, server.ConnectionCount);
    }

    [Fact]
    public async Task A_get_dropped_on_a_reused_pooled_connection_is_resent_by_the_handler_itself()
    {
        // The contrast that shows the test above can see a re-send: a body-less GET on a dead pooled connection is
        // re-sent by SocketsHttpHandler on a new connection (harmless for a read), so more than two requests arrive.
        await using var server = FaultServer.Start((i, _, s, _) => i == 0 ? FaultServer.Respond(s, 200, "{\"status\":\"ok\"}") : Task.FromResult(false));
        using var client = ClientFor(server.BaseUri, 0);

        await client.GetHealthAsync();
        var ex = await Assert.ThrowsAsync<MesaException>(() => client.GetHealthAsync());

        Assert.True(server.RequestCount > 2, $"{server.RequestCount} requests");
        Assert.True(server.ConnectionCount > 1);
        Assert.Equal("ConnectionFailed", ex.ErrorClass);
    }

    [Fact]
    public async Task A_timeout_on_post_commitments_is_outcome_unknown_with_the_timeout_inside_and_no_second_request()
    {
        await using var server = FaultServer.Start(async (_, _, _, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct); // the behaviour under test: a server that never answers
            return false;
        });
        // 1.5 s, not less: under a loaded test run the fault server must have read the request before the client gives up.
        using var client = ClientFor(server.BaseUri, 3, timeout: TimeSpan.FromMilliseconds(1500));

        var ex = await Assert.ThrowsAsync<MesaOutcomeUnknownException>(() => client.SubmitCommitmentAsync(Envelope()));

        Assert.IsType<TimeoutException>(ex.InnerException);
        Assert.Contains("timed out after 1.5 s", ex.Message);
        Assert.Contains("may or may not have landed", ex.Message);
        Assert.Equal(1, server.RequestCount);
        Assert.Equal(1, server.ConnectionCount);
    }

    [Fact]
    public async Task An_answer_that_stops_midway_is_outcome_unknown_for_a_write_and_a_named_failure_for_a_read()
    {
        await using var server = FaultServer.Start(async (_, _, s, _) =>
        {
            await FaultServer.Raw(s, "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"id\":\"c1\"");
            return false;
        });
        using var client = ClientFor(server.BaseUri, 3);

        var write = await Assert.ThrowsAsync<MesaOutcomeUnknownException>(() => client.CreatePrincipalAsync("acme", new string('a', 64)));
        var read = await Assert.ThrowsAsync<MesaException>(() => client.GetPrincipalAsync("p1"));

        Assert.Equal(2, server.RequestCount);
        Assert.Contains("closed the connection before a complete answer", write.Message);
        Assert.Contains("check the server before sending POST /principals again", write.Message);
        Assert.Contains("closed the connection before a complete answer", read.Message);
        Assert.DoesNotContain("Could not reach", read.Message);
        Assert.Equal("ConnectionFailed", read.ErrorClass);
    }

    [Fact]
    public async Task A_dropped_turn_names_the_deliberation_to_check()
    {
        await using var server = FaultServer.Start((_, _, _, _) => Task.FromResult(false));
        using var client = ClientFor(server.BaseUri, 3);
        var turn = MesaEnvelope.Create("turn", "p1", new Dictionary<string, object?> { ["content"] = "hi" }, "d-7").Sign(Keys);

        var ex = await Assert.ThrowsAsync<MesaOutcomeUnknownException>(() => client.AddTurnAsync("d-7", turn));

        Assert.Equal(1, server.RequestCount);
        Assert.Contains("transcript of deliberation d-7", ex.Message);
    }

    [Fact]
    public async Task Cancelling_during_a_retry_wait_stops_at_once()
    {
        await using var server = FaultServer.Start((_, _, s, _) => FaultServer.Respond(s, 503, "", "Retry-After: 60"));
        using var client = ClientFor(server.BaseUri, 5, TimeSpan.FromSeconds(60));
        using var cts = new CancellationTokenSource();
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        Task<MesaHealth> call;
        using (MesaRequestLog.Listen(e => { if (e.Retry is not null) waiting.TrySetResult(); }))
        {
            call = client.GetHealthAsync(cts.Token);
        }

        await waiting.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var watch = Stopwatch.StartNew();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed.TotalMilliseconds} ms to stop");
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public void Retry_settings_out_of_range_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MesaRetryOptions(-1, TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MesaRetryOptions(101, TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MesaRetryOptions(1, TimeSpan.Zero));
        var sneaky = MesaRetryOptions.None with { MaximumRetryCount = -5 };
        Assert.Throws<ArgumentException>(() => new MesaClient(new MesaClientOptions { BaseUri = new Uri("http://127.0.0.1:1/"), Retry = sneaky }));
    }
}
