using System.Net.Http;
using Mesa.Client.Tests.Support;

namespace Mesa.Client.Tests;

/// <summary>Connection failures, timeouts, cancellation, headers and secrets, against a real loopback server.</summary>
public class ClientTransportTests
{
    private const string AdminToken = "s3cret-admin-token-4c1f7e";

    // One canned body that is both a valid health answer and a valid principal, for tests that call both routes
    // (the client checks each answer's required fields).
    private static readonly string HealthAndPrincipal = Json.Principal.Replace("{\"id\"", "{\"status\":\"ok\",\"id\"", StringComparison.Ordinal);

    private static MesaClient ClientFor(CannedServer server, Action<MesaClientOptions>? configure = null)
    {
        var options = new MesaClientOptions { BaseUri = server.BaseUri, AdminToken = AdminToken };
        configure?.Invoke(options);
        return new MesaClient(options);
    }

    [Fact]
    public async Task A_refused_connection_is_a_mesa_exception_with_url_and_cause()
    {
        var uri = CannedServer.ClosedPortUri();
        using var client = new MesaClient(new MesaClientOptions { BaseUri = uri });
        var log = new List<MesaRequestLog>();

        MesaException ex;
        using (MesaRequestLog.Listen(log.Add))
        {
            ex = await Assert.ThrowsAsync<MesaException>(() => client.GetHealthAsync());
        }

        Assert.Equal(typeof(MesaException), ex.GetType());
        Assert.Null(ex.StatusCode);
        Assert.Equal("ConnectionFailed", ex.ErrorClass);
        Assert.Contains(new Uri(uri, "health").ToString(), ex.Message);
        Assert.Contains("refused", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.IsType<HttpRequestException>(ex.InnerException);
        Assert.Equal(new Uri(uri, "health"), ex.RequestUri);
        var entry = Assert.Single(log);
        Assert.Null(entry.StatusCode);
        Assert.NotNull(entry.Failure);
    }

    [Fact]
    public async Task A_server_slower_than_the_timeout_is_a_mesa_exception_not_a_cancellation()
    {
        await using var server = await CannedServer.StartAsync(200, "{\"status\":\"ok\"}");
        server.Delay = TimeSpan.FromSeconds(30);
        using var client = ClientFor(server, o => o.Timeout = TimeSpan.FromMilliseconds(300));
        var log = new List<MesaRequestLog>();

        MesaException ex;
        using (MesaRequestLog.Listen(log.Add))
        {
            ex = await Assert.ThrowsAsync<MesaException>(() => client.GetHealthAsync());
        }

        Assert.Null(ex.StatusCode);
        Assert.Equal("ConnectionFailed", ex.ErrorClass);
        Assert.Contains("timed out after 0.3 s", ex.Message);
        Assert.Contains(new Uri(server.BaseUri, "health").ToString(), ex.Message);
        Assert.IsType<TimeoutException>(ex.InnerException);
        Assert.Equal("timed out", Assert.Single(log).Failure);
    }

    [Fact]
    public async Task Cancelling_the_token_throws_operation_canceled()
    {
        await using var server = await CannedServer.StartAsync(200, "{\"status\":\"ok\"}");
        server.Delay = TimeSpan.FromSeconds(30);
        using var client = ClientFor(server);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var log = new List<MesaRequestLog>();

        using (MesaRequestLog.Listen(log.Add))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetHealthAsync(cts.Token));
        }

        Assert.Equal("cancelled", Assert.Single(log).Failure);
        Assert.Single(server.Requests); // it really was on the wire when cancelled
    }

    [Fact]
    public async Task An_already_cancelled_token_sends_nothing()
    {
        await using var server = await CannedServer.StartAsync(200, "{\"status\":\"ok\"}");
        using var client = ClientFor(server);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetHealthAsync(new CancellationToken(canceled: true)));
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task The_admin_token_goes_only_to_the_capabilities_route()
    {
        await using var server = await CannedServer.StartAsync(200, HealthAndPrincipal);
        using var client = ClientFor(server);

        await client.GetHealthAsync();
        await client.GetPrincipalAsync("p1");
        await client.CreatePrincipalAsync("acme", new string('a', 64));
        await client.SendRawAsync(HttpMethod.Get, "/principals/p1");
        await client.SetCapabilitiesAsync("p1", ["offer", "turn"]);
        await client.SendRawAsync(HttpMethod.Put, "principals/p1/capabilities", "{\"capabilities\":[]}");

        var requests = server.Requests;
        Assert.Equal(6, requests.Count);
        Assert.All(requests.Take(4), r => Assert.Null(r.Header("X-Admin-Token")));
        Assert.Equal(AdminToken, requests[4].Header("X-Admin-Token"));
        Assert.Equal("PUT", requests[4].Method);
        Assert.Equal("/principals/p1/capabilities", requests[4].PathAndQuery);
        Assert.Equal("{\"capabilities\":[\"offer\",\"turn\"]}", requests[4].Body);
        Assert.Equal(AdminToken, requests[5].Header("X-Admin-Token"));
    }

    [Fact]
    public async Task An_explicit_admin_token_wins_and_none_sends_no_header()
    {
        await using var server = await CannedServer.StartAsync(200, Json.Principal);
        using var withDefault = ClientFor(server);
        using var without = ClientFor(server, o => o.AdminToken = null);

        await withDefault.SetCapabilitiesAsync("p1", ["offer"], adminToken: "other-token");
        await without.SetCapabilitiesAsync("p1", ["offer"]);

        Assert.Equal("other-token", server.Requests[0].Header("X-Admin-Token"));
        Assert.Null(server.Requests[1].Header("X-Admin-Token"));
        Assert.True(withDefault.HasAdminToken);
        Assert.False(without.HasAdminToken);
    }

    [Fact]
    public async Task The_admin_token_never_reaches_logs_messages_or_ToString()
    {
        // A misbehaving server that echoes the token back in its error.
        await using var server = await CannedServer.StartAsync(403,
            $"{{\"detail\":{{\"code\":\"admin_forbidden\",\"message\":\"token {AdminToken} is wrong\"}}}}");
        var options = new MesaClientOptions { BaseUri = server.BaseUri, AdminToken = AdminToken };
        using var client = new MesaClient(options);
        var log = new List<MesaRequestLog>();

        MesaForbiddenException ex;
        using (MesaRequestLog.Listen(log.Add))
        {
            ex = await Assert.ThrowsAsync<MesaForbiddenException>(() => client.SetCapabilitiesAsync("p1", ["offer"]));
        }

        Assert.Equal(AdminToken, server.LastRequest.Header("X-Admin-Token")); // it was sent...
        Assert.Equal("admin_forbidden", ex.Code);
        var seen = new[]
        {
            ex.Message, ex.ToString(), ex.Body ?? "", System.Text.Json.JsonSerializer.Serialize(ex.Detail),
            client.ToString(), options.ToString(),
        }.Concat(log.SelectMany(e => new[] { e.ToString(), e.RequestBody ?? "", e.ResponseBody ?? "", e.Failure ?? "", e.Uri.ToString() }));
        Assert.All(seen, text => Assert.DoesNotContain(AdminToken, text)); // ...and appears nowhere else
        Assert.Contains("<redacted>", ex.Message);
    }

    [Fact]
    public async Task A_short_admin_token_found_in_a_success_body_is_redacted_in_the_log_but_the_answer_is_read_intact()
    {
        // "offer" is both a capability and, here, the token: the principal must come back as the server sent it.
        await using var server = await CannedServer.StartAsync(200, Json.Principal);
        using var client = ClientFor(server, o => o.AdminToken = "offer");
        var log = new List<MesaRequestLog>();

        MesaPrincipal principal;
        using (MesaRequestLog.Listen(log.Add))
        {
            principal = await client.SetCapabilitiesAsync("p1", ["offer", "turn"]);
        }

        Assert.Equal(["offer", "turn"], principal.Capabilities);
        Assert.Equal("0f8fad5bd9cb469fa16570867728950e", principal.Id);
        var entry = Assert.Single(log);
        Assert.DoesNotContain("offer", entry.ResponseBody);
        Assert.DoesNotContain("offer", entry.RequestBody);
        Assert.Contains("<redacted>", entry.ResponseBody);
    }

    [Fact]
    public async Task An_unreadable_success_body_on_the_admin_route_does_not_quote_the_token()
    {
        const string token = "2026-11-28T11:50:1";
        await using var server = await CannedServer.StartAsync(200, Json.Principal.Replace("2026-11-28T11:50:16", "2026-11-28T11:50:1x", StringComparison.Ordinal));
        using var client = ClientFor(server, o => o.AdminToken = token);

        var ex = await Assert.ThrowsAsync<MesaInvalidResponseException>(() => client.SetCapabilitiesAsync("p1", ["offer"]));

        Assert.Contains("cannot read", ex.Message);
        Assert.DoesNotContain(token, ex.ToString());
        Assert.DoesNotContain(token, ex.Body);
    }

    [Fact]
    public async Task A_short_admin_token_found_in_an_error_body_still_lets_the_code_be_read_and_is_redacted_everywhere()
    {
        // The token "code" occurs as a key of the structured detail: the code must still be read, and the token hidden.
        await using var server = await CannedServer.StartAsync(403,
            "{\"detail\":{\"code\":\"admin_forbidden\",\"message\":\"bad token code\",\"hint\":[\"code\"]}}");
        using var client = ClientFor(server, o => o.AdminToken = "code");

        var ex = await Assert.ThrowsAsync<MesaForbiddenException>(() => client.SetCapabilitiesAsync("p1", ["offer"]));

        Assert.Equal("admin_forbidden", ex.Code);
        Assert.Equal("admin_forbidden: bad token <redacted>", ex.Message);
        Assert.Equal(new object?[] { "<redacted>" }, Assert.IsAssignableFrom<IEnumerable<object?>>(ex.GetDetailValue("hint")));
        Assert.DoesNotContain("code", ex.Body);
        Assert.DoesNotContain("code", System.Text.Json.JsonSerializer.Serialize(ex.Detail));
    }

    [Theory]
    [InlineData(307)]
    [InlineData(302)]
    public async Task Redirects_are_not_followed_so_the_admin_token_and_the_body_stay_where_they_were_sent(int status)
    {
        await using var elsewhere = await CannedServer.StartAsync(200, Json.Principal);
        await using var server = await CannedServer.StartAsync(status, "");
        server.ResponseHeaders["Location"] = new Uri(elsewhere.BaseUri, "principals/p1/capabilities").AbsoluteUri;
        using var client = ClientFor(server);

        var ex = await Assert.ThrowsAsync<MesaException>(() => client.SetCapabilitiesAsync("p1", ["offer"]));

        Assert.Empty(elsewhere.Requests);
        Assert.Single(server.Requests);
        Assert.Equal(status, ex.StatusCode);
        Assert.Equal("ServerError", ex.ErrorClass);
        Assert.Contains("redirect to " + elsewhere.BaseUri.AbsoluteUri + "principals/p1/capabilities", ex.Message);
        Assert.Contains("base URI", ex.Message);
        Assert.DoesNotContain(AdminToken, ex.ToString());
    }

    [Theory]
    [InlineData("plain", AdminToken)]
    [InlineData("percent-encoded", AdminToken)]
    [InlineData("partly-encoded", AdminToken)]
    [InlineData("user-info", AdminToken)]
    [InlineData("plain", "b64/Tok+en=")]
    [InlineData("percent-encoded", "b64/Tok+en=")]
    [InlineData("partly-encoded", "b64/Tok+en=")]
    public async Task A_redirect_message_hides_the_admin_token_however_the_location_spells_it(string spelling, string token)
    {
        // A hostile server may echo the token in the Location it answers, encoded so that a plain search misses it
        // (a base64 token's '/', '+' and '=' stay percent-encoded in a URI).
        var encoded = string.Concat(token.Select(c => $"%{(int)c:X2}"));
        var location = spelling switch
        {
            "plain" => $"http://127.0.0.1:9/echo/{token}/x",
            "percent-encoded" => $"http://127.0.0.1:9/echo/{encoded}/x",
            "partly-encoded" => $"http://127.0.0.1:9/echo/{token[..3]}{string.Concat(token[3..].Select(c => char.IsAsciiLetterOrDigit(c) ? c.ToString() : $"%{(int)c:x2}"))}/x",
            _ => $"http://admin:{token}@127.0.0.1:9/x",
        };
        await using var server = await CannedServer.StartAsync(307, "");
        server.ResponseHeaders["Location"] = location;
        using var client = ClientFor(server, o => o.AdminToken = token);

        var ex = await Assert.ThrowsAsync<MesaException>(() => client.SetCapabilitiesAsync("p1", ["offer"]));

        Assert.Contains("redirect to http://127.0.0.1:9/", ex.Message);
        Assert.DoesNotContain(token, ex.ToString());
        Assert.DoesNotContain(encoded, ex.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(token[3..], ex.Message);
        Assert.DoesNotContain(Uri.EscapeDataString(token[3..]), ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_admin_token_cannot_ride_in_the_extra_headers()
    {
        var options = new MesaClientOptions { BaseUri = new Uri("http://127.0.0.1:1/") };
        options.Headers["x-admin-token"] = AdminToken;

        var ex = Assert.Throws<ArgumentException>(() => new MesaClient(options));

        Assert.Contains("AdminToken", ex.Message);
        Assert.DoesNotContain(AdminToken, ex.Message);
    }

    [Fact]
    public void Invalid_extra_headers_are_refused_without_quoting_their_value()
    {
        var options = new MesaClientOptions { BaseUri = new Uri("http://127.0.0.1:1/") };
        options.Headers["Authorization"] = "Bearer abc\r\nInjected: yes";

        var ex = Assert.Throws<ArgumentException>(() => new MesaClient(options));

        Assert.Contains("'Authorization'", ex.Message);
        Assert.DoesNotContain("Bearer", ex.Message);
        Assert.Null(ex.InnerException);
    }

    [Fact]
    public void A_user_agent_with_line_breaks_is_refused()
    {
        var options = new MesaClientOptions { BaseUri = new Uri("http://127.0.0.1:1/"), UserAgent = "Agent/1\r\nX-Injected: 1" };
        Assert.Throws<ArgumentException>(() => new MesaClient(options));

        options = new MesaClientOptions { BaseUri = new Uri("http://127.0.0.1:1/") };
        options.Headers["User-Agent"] = "Agent/1\nX: 1";
        Assert.Throws<ArgumentException>(() => new MesaClient(options));
    }

    [Fact]
    public async Task The_user_agent_is_mesa_powershell_with_the_module_version()
    {
        await using var server = await CannedServer.StartAsync(200, "{\"status\":\"ok\"}");
        using var client = ClientFor(server);

        await client.GetHealthAsync();

        var expected = "Mesa.PowerShell/" + RepoFiles.ModuleVersion();
        Assert.Equal(expected, MesaClient.DefaultUserAgent);
        Assert.Equal(expected, client.UserAgent);
        Assert.Equal(expected, server.LastRequest.Header("User-Agent"));
        Assert.Equal("application/json", server.LastRequest.Header("Accept"));
    }

    [Fact]
    public async Task A_custom_user_agent_and_extra_headers_are_sent()
    {
        await using var server = await CannedServer.StartAsync(200, HealthAndPrincipal);
        using var client = ClientFor(server, o =>
        {
            o.UserAgent = "MyAgent/2.0";
            o.Headers["X-Request-Source"] = "unit-test";
            o.Headers["X-Trace"] = "abc123";
        });

        await client.GetHealthAsync();
        await client.SetCapabilitiesAsync("p1", []);

        Assert.All(server.Requests, r =>
        {
            Assert.Equal("MyAgent/2.0", r.Header("User-Agent"));
            Assert.Equal("unit-test", r.Header("X-Request-Source"));
            Assert.Equal("abc123", r.Header("X-Trace"));
        });
    }

    [Fact]
    public async Task A_user_agent_in_the_extra_headers_replaces_the_default()
    {
        await using var server = await CannedServer.StartAsync(200, "{\"status\":\"ok\"}");
        using var client = ClientFor(server, o => o.Headers["User-Agent"] = "Proxy/1");

        await client.GetHealthAsync();

        Assert.Equal("Proxy/1", server.LastRequest.Header("User-Agent"));
        Assert.Equal("Proxy/1", client.UserAgent);
    }

    [Fact]
    public async Task Request_log_has_method_uri_status_and_bodies_but_no_headers()
    {
        await using var server = await CannedServer.StartAsync(201, HealthAndPrincipal);
        using var client = ClientFor(server);
        var log = new List<MesaRequestLog>();

        using (MesaRequestLog.Listen(log.Add))
        {
            await client.CreatePrincipalAsync("acme", new string('a', 64));
        }

        await client.GetHealthAsync(); // outside the scope: not logged
        var entry = Assert.Single(log);
        Assert.Equal("POST", entry.Method);
        Assert.Equal(new Uri(server.BaseUri, "principals"), entry.Uri);
        Assert.Equal(201, entry.StatusCode);
        Assert.Equal($"{{\"org\":\"acme\",\"public_key\":\"{new string('a', 64)}\"}}", entry.RequestBody);
        Assert.Equal(HealthAndPrincipal, entry.ResponseBody);
        Assert.True(entry.Duration > TimeSpan.Zero);
        Assert.Null(entry.Failure);
        Assert.DoesNotContain("User-Agent", entry.ToString());
        Assert.StartsWith($"POST {new Uri(server.BaseUri, "principals")} -> 201 in ", entry.ToString());
    }

    [Fact]
    public async Task Raw_requests_refuse_absolute_uris()
    {
        await using var server = await CannedServer.StartAsync();
        using var client = ClientFor(server);

        await Assert.ThrowsAsync<ArgumentException>(() => client.SendRawAsync(HttpMethod.Get, "http://elsewhere.test/capabilities"));
        await Assert.ThrowsAsync<ArgumentException>(() => client.SendRawAsync(HttpMethod.Get, "https://elsewhere.test/"));
        using var prefixed = ClientFor(server, o => o.BaseUri = new Uri(server.BaseUri, "api/v1"));
        await Assert.ThrowsAsync<ArgumentException>(() => prefixed.SendRawAsync(HttpMethod.Get, "../other"));
        Assert.Empty(server.Requests);

        // Leading slashes are trimmed: this stays on the server, it is not a protocol-relative URI.
        await client.SendRawAsync(HttpMethod.Get, "//elsewhere.test/x");
        Assert.Equal("/elsewhere.test/x", server.LastRequest.PathAndQuery);
    }

    [Fact]
    public async Task A_base_uri_with_a_path_prefix_keeps_it()
    {
        await using var server = await CannedServer.StartAsync(200, "{\"status\":\"ok\"}");
        using var client = ClientFor(server, o => o.BaseUri = new Uri(server.BaseUri, "api/v1"));

        await client.GetHealthAsync();
        await client.SendRawAsync(HttpMethod.Get, "/principals?x=1");

        Assert.Equal(new Uri(server.BaseUri, "api/v1/"), client.BaseUri);
        Assert.Equal(["/api/v1/health", "/api/v1/principals?x=1"], server.Requests.Select(r => r.PathAndQuery));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("ftp://127.0.0.1/")]
    [InlineData("relative/path")]
    public void The_base_uri_must_be_absolute_http(string? uri)
    {
        var options = new MesaClientOptions { BaseUri = uri is null ? null : new Uri(uri, UriKind.RelativeOrAbsolute) };
        var ex = Assert.Throws<ArgumentException>(() => new MesaClient(options));
        Assert.Contains("http://127.0.0.1:8000", ex.Message);
    }

    [Fact]
    public void The_timeout_must_be_positive_or_infinite()
    {
        var baseUri = new Uri("http://127.0.0.1:1/");
        Assert.Throws<ArgumentException>(() => new MesaClient(new MesaClientOptions { BaseUri = baseUri, Timeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentException>(() => new MesaClient(new MesaClientOptions { BaseUri = baseUri, Timeout = TimeSpan.FromDays(100) }));
        using var infinite = new MesaClient(new MesaClientOptions { BaseUri = baseUri, Timeout = Timeout.InfiniteTimeSpan });
        Assert.Equal(Timeout.InfiniteTimeSpan, infinite.Timeout);
    }
}
