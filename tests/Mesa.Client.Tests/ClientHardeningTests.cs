using System.Diagnostics;
using System.Text;
using Mesa.Client.Tests.Support;

namespace Mesa.Client.Tests;

/// <summary>
/// Hostile and broken servers (issue 9, client side): answers that are not mesa answers, tokens echoed in any escaping,
/// user info in the URI, non-ASCII tokens, oversized and lying bodies, and messages that name the real cause.
/// </summary>
public class ClientHardeningTests
{
    private static readonly MesaKeypair Keys = MesaKeypair.FromPrivateKeyHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");

    [Fact]
    public async Task A_server_answering_status_ok_to_everything_gives_invalid_response_errors_not_empty_objects()
    {
        await using var server = await CannedServer.StartAsync(200, "{\"status\":\"ok\"}");
        using var client = new MesaClient(new MesaClientOptions { BaseUri = server.BaseUri });

        Assert.Equal("ok", (await client.GetHealthAsync()).Status); // a fine health answer
        var envelope = MesaEnvelope.Create("offer", "p1", new Dictionary<string, object?> { ["summary"] = "s" }, "d1").Sign(Keys);
        var calls = new (string Route, string Model, Func<Task> Call)[]
        {
            ("commitments", "commitment result", () => client.SubmitCommitmentAsync(envelope)),
            ("principals", "principal", () => client.CreatePrincipalAsync("acme", new string('a', 64))),
            ("principals/p1", "principal", () => client.GetPrincipalAsync("p1")),
            ("deliberations", "deliberation", () => client.CreateDeliberationAsync("t")),
            ("deliberations/d1", "deliberation with its turns and commitments", () => client.GetDeliberationAsync("d1")),
            ("deliberations/d1/turns", "turn", () => client.AddTurnAsync("d1", MesaEnvelope.Create("turn", "p1", new Dictionary<string, object?> { ["content"] = "x" }, "d1").Sign(Keys))),
        };

        foreach (var (route, model, call) in calls)
        {
            var ex = await Assert.ThrowsAsync<MesaInvalidResponseException>(call);
            Assert.Equal("InvalidResponse", ex.ErrorClass);
            Assert.Equal(200, ex.StatusCode);
            Assert.Contains(new Uri(server.BaseUri, route).ToString(), ex.Message);
            Assert.Contains($"not a mesa {model}", ex.Message);
            Assert.Contains("it has no id", ex.Message);
            Assert.Contains("Is this a mesa server?", ex.Message);
            Assert.Equal("{\"status\":\"ok\"}", ex.Body);
        }

        var commitment = await Assert.ThrowsAsync<MesaInvalidResponseException>(() => client.SubmitCommitmentAsync(envelope));
        Assert.Contains("it has no id, type, principal_id, decision.action", commitment.Message);
    }

    [Fact]
    public async Task A_list_whose_items_are_not_principals_names_the_item()
    {
        await using var server = await CannedServer.StartAsync(200, "[" + Json.Principal + ",{\"status\":\"ok\"}]");
        using var client = new MesaClient(new MesaClientOptions { BaseUri = server.BaseUri });

        var ex = await Assert.ThrowsAsync<MesaInvalidResponseException>(() => client.GetPrincipalsAsync());

        Assert.Contains("not a mesa list of principals", ex.Message);
        Assert.Contains("item 1: id", ex.Message);
        Assert.DoesNotContain("item 0", ex.Message);
    }

    public static TheoryData<string, string, string> UnreadableSuccessBodies() => new()
    {
        // route called, body answered with 200, what the message calls the model
        { "principals", "{\"status\":\"ok\"}", "list of principals" },
        { "deliberations", "{\"status\":\"ok\"}", "list of deliberations" },
        { "health", "<html><body>Please log in</body></html>", "health answer" },
        { "principals/p1", "", "principal" },
        { "principals/p1", "null", "principal" },
        { "principals/p1", "[]", "principal" },
        { "deliberations/d1", "\"ok\"", "deliberation with its turns and commitments" },
    };

    [Theory]
    [MemberData(nameof(UnreadableSuccessBodies))]
    public async Task A_success_body_that_is_not_json_of_the_model_is_an_invalid_response(string route, string body, string model)
    {
        await using var server = await CannedServer.StartAsync(200, body, body.StartsWith('<') ? "text/html" : "application/json");
        using var client = new MesaClient(new MesaClientOptions { BaseUri = server.BaseUri });
        Func<Task> call = route switch
        {
            "principals" => () => client.GetPrincipalsAsync(),
            "deliberations" => () => client.GetDeliberationsAsync(),
            "health" => () => client.GetHealthAsync(),
            "principals/p1" => () => client.GetPrincipalAsync("p1"),
            _ => () => client.GetDeliberationAsync("d1"),
        };

        var ex = await Assert.ThrowsAsync<MesaInvalidResponseException>(call);

        Assert.Equal("InvalidResponse", ex.ErrorClass);
        Assert.Equal(200, ex.StatusCode);
        Assert.Equal(body, ex.Body);
        Assert.Contains($"The server at {new Uri(server.BaseUri, route)} answered 200 with a body this client cannot read as a mesa {model}", ex.Message);
        Assert.Contains("Is this a mesa server?", ex.Message);
    }

    public static TheoryData<string, string, string> IncompleteModels()
    {
        const string commitment = "{\"id\":\"c1\",\"type\":\"offer\",\"principal_id\":\"p1\",\"status\":\"active\",\"decision\":";
        const string detail = "{\"id\":\"d1\",\"title\":\"t\",\"stage\":\"offer\",\"status\":\"open\",";
        const string turn = "{\"id\":\"t1\",\"deliberation_id\":\"d1\",\"speaker_id\":\"p1\"";
        return new TheoryData<string, string, string>
        {
            { "commitment", commitment + "{\"action\":\"allow\",\"applied\":null}}", "it has no decision.applied." },
            { "commitment", commitment + "{\"action\":\"flag\",\"applied\":[{}]}}", "it has no decision.applied item 0: policy_id, decision.applied item 0: policy_name, decision.applied item 0: action." },
            { "commitment", commitment + "{\"action\":\"flag\",\"applied\":[{\"policy_id\":\"p\",\"policy_name\":\"n\",\"action\":\"flag\"},null]}}", "it has no decision.applied item 1: everything." },
            { "detail", detail + "\"turns\":[],\"commitments\":[{\"id\":\"c1\",\"type\":\"offer\"}]}", "it has no commitments item 0: principal_id, commitments item 0: status." },
            { "detail", detail + "\"turns\":[" + turn + ",\"content\":null}],\"commitments\":[]}", "it has no turns item 0: content." },
            { "turn", turn + ",\"content\":null}", "it has no content." },
            { "principal", Json.Principal.Replace("[\"offer\",\"turn\"]", "[\"offer\",null]", StringComparison.Ordinal), "it has no capabilities item 1." },
        };
    }

    [Theory]
    [MemberData(nameof(IncompleteModels))]
    public async Task Required_fields_inside_decisions_details_turns_and_capabilities_are_checked(string model, string body, string expected)
    {
        await using var server = await CannedServer.StartAsync(model is "commitment" or "turn" ? 201 : 200, body);
        using var client = new MesaClient(new MesaClientOptions { BaseUri = server.BaseUri });
        Func<Task> call = model switch
        {
            "commitment" => () => client.SubmitCommitmentAsync(MesaEnvelope.Create("offer", "p1", new Dictionary<string, object?> { ["summary"] = "s" }, "d1").Sign(Keys)),
            "detail" => () => client.GetDeliberationAsync("d1"),
            "turn" => () => client.AddTurnAsync("d1", MesaEnvelope.Create("turn", "p1", new Dictionary<string, object?> { ["content"] = "x" }, "d1").Sign(Keys)),
            _ => () => client.GetPrincipalAsync("p1"),
        };

        var ex = await Assert.ThrowsAsync<MesaInvalidResponseException>(call);

        Assert.Contains(expected, ex.Message);
        Assert.Contains("Is this a mesa server?", ex.Message);
        if (model is "commitment" or "turn") Assert.Contains("answered 201, so the request itself was accepted", ex.Message);
    }

    [Fact]
    public async Task An_incomplete_body_with_thousands_of_gaps_names_at_most_twenty()
    {
        // The message (and its list of names) stays small whatever the peer sends: 5,000 null capabilities in one
        // principal, 5,000 empty entries in one detail's commitments.
        var capabilities = "[" + string.Join(",", Enumerable.Repeat("null", 5000)) + "]";
        var principal = Json.Principal.Replace("[\"offer\",\"turn\"]", capabilities, StringComparison.Ordinal);
        var detail = "{\"id\":\"d1\",\"title\":\"t\",\"stage\":\"offer\",\"status\":\"open\",\"turns\":[],\"commitments\":["
            + string.Join(",", Enumerable.Repeat("{}", 5000)) + "]}";
        foreach (var (body, call, last) in new (string, Func<MesaClient, Task>, string)[]
        {
            (principal, c => c.GetPrincipalAsync("p1"), "capabilities item 19."),
            (detail, c => c.GetDeliberationAsync("d1"), "commitments item 4: status."),
        })
        {
            await using var server = await CannedServer.StartAsync(200, body);
            using var client = new MesaClient(new MesaClientOptions { BaseUri = server.BaseUri });

            var ex = await Assert.ThrowsAsync<MesaInvalidResponseException>(() => call(client));

            Assert.Contains("it has no ", ex.Message);
            Assert.Contains(last, ex.Message);
            Assert.DoesNotContain("item 20", ex.Message);
            Assert.True(ex.Message.Length < 1500, $"message of {ex.Message.Length} characters");
        }
    }

    // A token with the characters json.dumps escapes (quote and backslash) and letters that a \u-escaping server spells out.
    private const string Token = "Se\"cr\\et-T0ken-7f3a";

    public static TheoryData<string> EscapedEchoes()
    {
        var dumps = Token.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
        var allUpper = string.Concat(Token.Select(c => $"\\u{(int)c:X4}"));
        var allLower = string.Concat(Token.Select(c => $"\\u{(int)c:x4}"));
        var mixed = string.Concat(Token.Select((c, i) => i % 2 == 0 ? $"\\u{(int)c:X4}" : c switch { '"' => "\\\"", '\\' => "\\\\", _ => c.ToString() }));
        // Percent-escapes, as a server echoing the token inside a URI writes them, alone and mixed with JSON escapes.
        var percent = string.Concat(Token.Select(c => $"%{(int)c:X2}"));
        var percentMixed = string.Concat(Token.Select((c, i) => i % 3 == 0 ? $"%{(int)c:x2}" : i % 3 == 1 ? $"\\u{(int)c:X4}" : c switch { '"' => "\\\"", '\\' => "\\\\", _ => c.ToString() }));
        return new TheoryData<string> { dumps, allUpper, allLower, mixed, percent, percentMixed };
    }

    [Theory]
    [MemberData(nameof(EscapedEchoes))]
    public async Task An_admin_token_echoed_in_any_json_escaping_is_redacted_everywhere(string echoed)
    {
        await using var server = await CannedServer.StartAsync(403,
            $"{{\"detail\":{{\"code\":\"admin_forbidden\",\"message\":\"token {echoed} is wrong\",\"hint\":[\"{echoed}\"]}}}}");
        using var client = new MesaClient(new MesaClientOptions { BaseUri = server.BaseUri, AdminToken = Token });
        var log = new List<MesaRequestLog>();

        MesaForbiddenException ex;
        using (MesaRequestLog.Listen(log.Add))
        {
            ex = await Assert.ThrowsAsync<MesaForbiddenException>(() => client.SetCapabilitiesAsync("p1", ["offer"]));
        }

        Assert.Equal(Token, server.LastRequest.Header("X-Admin-Token")); // it was sent
        Assert.Equal("admin_forbidden", ex.Code);
        Assert.Equal("admin_forbidden: token <redacted> is wrong", ex.Message);
        Assert.Equal(new object?[] { "<redacted>" }, Assert.IsAssignableFrom<IEnumerable<object?>>(ex.GetDetailValue("hint")));
        var seen = new[] { ex.Message, ex.ToString(), ex.Body ?? "", System.Text.Json.JsonSerializer.Serialize(ex.Detail) }
            .Concat(log.SelectMany(e => new[] { e.ToString(), e.ResponseBody ?? "" }));
        Assert.All(seen, text =>
        {
            Assert.DoesNotContain(Token, text);
            Assert.DoesNotContain(echoed, text);
            Assert.DoesNotContain("T0ken-7f3a", text); // no tail of it left either
        });
        Assert.Contains("<redacted>", ex.Body);
    }

    [Theory]
    [InlineData("plain", 20)]
    [InlineData("json", 10 * 6)]
    [InlineData("json", 10 * 6 + 4)] // the cut falls inside an escape: "\u00"
    [InlineData("percent", 10 * 3)]
    [InlineData("percent", 10 * 3 + 2)] // inside an escape: "%6"
    public async Task A_token_cut_through_by_the_error_body_limit_or_the_excerpt_leaves_no_part_of_it(string spelling, int kept)
    {
        // kept: characters of the second echo left before the 64 KiB cut.
        const string token = "Q7rkZp3vWn8sLd2xHc5tJm9bYf4gTa6e";
        string Spell(string text) => spelling switch
        {
            "json" => string.Concat(text.Select(c => $"\\u{(int)c:x4}")),
            "percent" => string.Concat(text.Select(c => $"%{(int)c:X2}")),
            _ => text,
        };
        var head = "{\"detail\":\"";
        var atExcerptEnd = head + new string('m', 190 - head.Length) + Spell(token); // the 200-character excerpt cuts through it
        var body = atExcerptEnd + new string('x', MesaClient.ErrorBodyLimit - kept - atExcerptEnd.Length) + Spell(token) + new string('y', 5000) + "\"}";
        await using var server = await CannedServer.StartAsync(403, body);
        using var client = new MesaClient(new MesaClientOptions { BaseUri = server.BaseUri, AdminToken = token });
        var log = new List<MesaRequestLog>();

        MesaForbiddenException ex;
        using (MesaRequestLog.Listen(log.Add))
        {
            ex = await Assert.ThrowsAsync<MesaForbiddenException>(() => client.SetCapabilitiesAsync("p1", ["offer"]));
        }

        Assert.Contains("was cut there", ex.Message);
        Assert.EndsWith("<redacted>", ex.Body);
        var seen = new[] { ex.Message, ex.ToString(), ex.Body!, Assert.Single(log).ResponseBody! };
        Assert.All(seen, text =>
        {
            Assert.DoesNotContain(token[..4], text);
            Assert.DoesNotContain(Spell(token[..4]), text);
        });
    }

    [Fact]
    public async Task The_clients_admin_token_echoed_on_a_route_that_did_not_carry_it_is_redacted_too()
    {
        await using var server = await CannedServer.StartAsync(404, $"{{\"detail\":\"no principal; config: MESA_ADMIN_TOKEN={Token.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"}}");
        using var client = new MesaClient(new MesaClientOptions { BaseUri = server.BaseUri, AdminToken = Token });
        var log = new List<MesaRequestLog>();

        MesaNotFoundException ex;
        using (MesaRequestLog.Listen(log.Add))
        {
            ex = await Assert.ThrowsAsync<MesaNotFoundException>(() => client.GetPrincipalAsync("p1"));
        }

        Assert.Null(server.LastRequest.Header("X-Admin-Token")); // not sent on this route
        Assert.Equal("no principal; config: MESA_ADMIN_TOKEN=<redacted>", ex.Message);
        Assert.All(new[] { ex.ToString(), ex.Body!, (string)ex.Detail!, Assert.Single(log).ResponseBody! }, text => Assert.DoesNotContain("T0ken-7f3a", text));
    }

    [Fact]
    public async Task A_token_of_digits_echoed_as_a_json_number_is_redacted_in_the_detail()
    {
        await using var server = await CannedServer.StartAsync(403, "{\"detail\":{\"code\":\"admin_forbidden\",\"got\":8675309123,\"list\":[8675309123.5]}}");
        using var client = new MesaClient(new MesaClientOptions { BaseUri = server.BaseUri, AdminToken = "8675309123" });

        var ex = await Assert.ThrowsAsync<MesaForbiddenException>(() => client.SetCapabilitiesAsync("p1", ["offer"]));

        Assert.Equal("<redacted>", ex.GetDetailValue("got"));
        Assert.DoesNotContain("8675309123", System.Text.Json.JsonSerializer.Serialize(ex.Detail));
        Assert.DoesNotContain("8675309123", ex.Body);
    }

    [Fact]
    public async Task A_token_echoed_escaped_in_a_success_body_is_redacted_in_the_log_and_the_answer_is_read_intact()
    {
        var escaped = string.Concat(Token.Select(c => $"\\u{(int)c:X4}"));
        var body = Json.Principal.Replace("\"org\":\"acme\"", $"\"org\":\"{escaped}\"", StringComparison.Ordinal);
        await using var server = await CannedServer.StartAsync(200, body);
        using var client = new MesaClient(new MesaClientOptions { BaseUri = server.BaseUri, AdminToken = Token });
        var log = new List<MesaRequestLog>();

        MesaPrincipal principal;
        using (MesaRequestLog.Listen(log.Add))
        {
            principal = await client.SetCapabilitiesAsync("p1", ["offer"]);
        }

        Assert.Equal(Token, principal.Org); // the data as the server sent it
        var entry = Assert.Single(log);
        Assert.DoesNotContain(escaped, entry.ResponseBody);
        Assert.Contains("\"org\":\"<redacted>\"", entry.ResponseBody);
    }

    [Theory]
    [InlineData("http://user:hunter2-secret@127.0.0.1:8000/")]
    [InlineData("http://:hunter2-secret@127.0.0.1:8000/")]
    [InlineData("https://hunter2-secret@example.test/")]
    public void User_info_in_the_base_uri_is_refused_without_echoing_it(string uri)
    {
        var ex = Assert.Throws<ArgumentException>(() => new MesaClient(new MesaClientOptions { BaseUri = new Uri(uri) }));

        Assert.DoesNotContain("hunter2", ex.Message);
        Assert.Contains("-Header", ex.Message);
        Assert.Contains("user name or password", ex.Message);
    }

    [Theory]
    [InlineData("ftp://user:hunter2-secret@127.0.0.1/")]
    [InlineData("admin:hunter2-secret@127.0.0.1:8000")] // no http://: the scheme is 'admin'
    public void A_base_uri_that_is_not_http_is_refused_without_echoing_a_password(string uri)
    {
        var ex = Assert.Throws<ArgumentException>(() => new MesaClient(new MesaClientOptions { BaseUri = new Uri(uri) }));

        Assert.DoesNotContain("hunter2", ex.Message);
        Assert.Contains("must be an absolute http or https URI", ex.Message);
        Assert.Contains("user name or password", ex.Message);
    }

    [Theory]
    [InlineData("http://user:hunter2-secret@127.0.0.1:8000/", "http://127.0.0.1:8000/")]
    [InlineData("https://hunter2-secret@example.test/", "https://example.test/")]
    [InlineData("ftp://user:hunter2-secret@127.0.0.1/", "(a URI with a user name or password)")]
    [InlineData("admin:hunter2-secret@127.0.0.1:8000", "(a URI with a user name or password)")]
    [InlineData("http://127.0.0.1:8000/", "http://127.0.0.1:8000/")]
    public void Options_show_their_uri_without_a_user_name_or_password(string uri, string shown)
    {
        var text = new MesaClientOptions { BaseUri = new Uri(uri) }.ToString();

        Assert.DoesNotContain("hunter2", text);
        Assert.StartsWith(shown + " (", text);
    }

    [Theory]
    [InlineData("tök-en")]
    [InlineData("token\u00a0with-nbsp")]
    [InlineData("\u201ctoken\u201d")]
    [InlineData("tok\nen")]
    public async Task An_admin_token_that_is_not_printable_ascii_is_refused_with_the_fix(string token)
    {
        var ex = Assert.Throws<ArgumentException>(() => new MesaClient(new MesaClientOptions { BaseUri = new Uri("http://127.0.0.1:1/"), AdminToken = token }));
        Assert.Contains("printable ASCII", ex.Message);
        Assert.Contains("Copy the token again", ex.Message);
        Assert.DoesNotContain(token, ex.Message);

        await using var server = await CannedServer.StartAsync(200, Json.Principal);
        using var client = new MesaClient(new MesaClientOptions { BaseUri = server.BaseUri });
        await Assert.ThrowsAsync<ArgumentException>(() => client.SetCapabilitiesAsync("p1", ["offer"], adminToken: token));
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void A_header_value_that_is_not_ascii_is_refused_without_quoting_it()
    {
        var options = new MesaClientOptions { BaseUri = new Uri("http://127.0.0.1:1/") };
        options.Headers["Authorization"] = "Bearer söcret";

        var ex = Assert.Throws<ArgumentException>(() => new MesaClient(options));

        Assert.Contains("'Authorization'", ex.Message);
        Assert.DoesNotContain("söcret", ex.Message);
    }

    [Fact]
    public async Task A_500_with_a_60_MB_body_is_read_only_as_an_excerpt_fast_and_bounded()
    {
        const int total = 60 * 1024 * 1024;
        var chunk = Encoding.ASCII.GetBytes(new string('x', 1024 * 1024));
        await using var server = FaultServer.Start(async (_, _, s, ct) =>
        {
            await FaultServer.Raw(s, $"HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\nContent-Length: {total}\r\n\r\n");
            for (var sent = 0; sent < total; sent += chunk.Length) await s.WriteAsync(chunk, ct);
            return false;
        });
        using var client = new MesaClient(new MesaClientOptions { BaseUri = server.BaseUri });
        await client.GetHealthAsync().ContinueWith(_ => { }, TaskScheduler.Default); // warm up (JIT, connection code)

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<MesaException>(() => client.GetHealthAsync());
        var elapsed = watch.Elapsed;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(500, ex.StatusCode);
        Assert.Equal(MesaClient.ErrorBodyLimit, ex.Body!.Length);
        Assert.Contains("longer than 64 KiB and was cut there; it begins: xxxx", ex.Message);
        Assert.True(ex.Message.Length < 1000, "the message holds an excerpt, not the body");
        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"took {elapsed.TotalMilliseconds} ms");
        Assert.True(allocated < 16 * 1024 * 1024, $"allocated {allocated / 1024 / 1024} MiB");
    }

    [Fact]
    public async Task A_success_body_over_the_limit_is_an_error_and_never_buffered_past_it()
    {
        var big = "[" + string.Join(",", Enumerable.Repeat(Json.Principal, 40)) + "]"; // ~7 KB
        await using var server = FaultServer.Start((_, _, s, _) => FaultServer.Respond(s, 200, big)); // with its Content-Length
        using var client = new MesaClient(new MesaClientOptions { BaseUri = server.BaseUri, MaxResponseBytes = 4096 });
        using var roomy = new MesaClient(new MesaClientOptions { BaseUri = server.BaseUri });

        var ex = await Assert.ThrowsAsync<MesaInvalidResponseException>(() => client.GetPrincipalsAsync());

        Assert.Contains("more than the 4 KiB this client reads; nothing was read", ex.Message);
        Assert.Contains("MaxResponseBytes", ex.Message);
        Assert.Equal(1, server.RequestCount);
        Assert.Equal(40, (await roomy.GetPrincipalsAsync()).Count);
    }

    [Fact]
    public async Task A_chunked_success_body_over_the_limit_is_cut_at_the_limit()
    {
        await using var server = FaultServer.Start(async (_, _, s, ct) =>
        {
            await FaultServer.Raw(s, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
            var piece = new string(' ', 1000);
            for (var i = 0; i < 20; i++) await FaultServer.Raw(s, $"{piece.Length:x}\r\n{piece}\r\n");
            await FaultServer.Raw(s, "0\r\n\r\n");
            return true;
        });
        using var client = new MesaClient(new MesaClientOptions { BaseUri = server.BaseUri, MaxResponseBytes = 4096 });

        var ex = await Assert.ThrowsAsync<MesaInvalidResponseException>(() => client.GetHealthAsync());

        Assert.Contains("larger than the 4 KiB this client reads", ex.Message);
    }

    [Fact]
    public async Task A_chunked_success_body_far_over_the_limit_costs_memory_bounded_by_the_limit()
    {
        const int limit = 16 * 1024 * 1024;
        var chunk = Encoding.ASCII.GetBytes($"{1 << 20:x}\r\n" + new string(' ', 1 << 20) + "\r\n"); // made once: the server allocates nothing per chunk
        await using var server = FaultServer.Start(async (_, _, s, ct) =>
        {
            await FaultServer.Raw(s, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (var i = 0; i < 200; i++) await s.WriteAsync(chunk, ct); // 200 MiB, no Content-Length
            return false;
        });
        using var client = new MesaClient(new MesaClientOptions { BaseUri = server.BaseUri, MaxResponseBytes = limit });
        await client.GetHealthAsync().ContinueWith(_ => { }, TaskScheduler.Default); // warm up

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var ex = await Assert.ThrowsAsync<MesaInvalidResponseException>(() => client.GetPrincipalsAsync());
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Contains("larger than the 16 MiB this client reads", ex.Message);
        // Measured: about 3x the limit (the growing buffer), 5x while the cut body was also decoded to text.
        Assert.True(allocated < 4L * limit, $"allocated {allocated / 1024 / 1024} MiB for a {limit / 1024 / 1024} MiB limit");
    }

    [Fact]
    public async Task A_body_that_drips_in_slowly_but_within_the_timeout_is_read_whole()
    {
        await using var server = FaultServer.Start(async (_, _, s, ct) =>
        {
            var body = Encoding.UTF8.GetBytes(Json.Principal);
            await FaultServer.Raw(s, $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n");
            for (var i = 0; i < body.Length; i += 16)
            {
                await s.WriteAsync(body.AsMemory(i, Math.Min(16, body.Length - i)), ct);
                await Task.Delay(50, ct); // the behaviour under test: a body that drips in, about 0.8 s in all
            }

            return true;
        });
        using var client = new MesaClient(new MesaClientOptions { BaseUri = server.BaseUri, Timeout = TimeSpan.FromSeconds(20) });

        var principal = await client.GetPrincipalAsync("p1");

        Assert.Equal("0f8fad5bd9cb469fa16570867728950e", principal.Id);
        Assert.Equal(["offer", "turn"], principal.Capabilities);
    }

    [Fact]
    public async Task An_absurd_content_length_is_said_as_such()
    {
        await using var server = FaultServer.Start(async (_, _, s, _) =>
        {
            await FaultServer.Raw(s, "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 999999999999999\r\n\r\n{}");
            return false;
        });
        using var client = new MesaClient(new MesaClientOptions { BaseUri = server.BaseUri });

        var ex = await Assert.ThrowsAsync<MesaInvalidResponseException>(() => client.CreatePrincipalAsync("acme", new string('a', 64)));

        Assert.Contains("announced a body of 999999999999999 bytes (Content-Length)", ex.Message);
        Assert.Contains("not a plausible size", ex.Message);
        Assert.Contains("answered 201, so the request itself was accepted", ex.Message);
        Assert.DoesNotContain("Could not reach", ex.Message);
    }

    [Fact]
    public async Task An_error_status_whose_body_ends_early_is_still_that_error_not_a_lost_answer()
    {
        // An absurd Content-Length on a 500, a short body, then the connection closes: the status did come.
        await using var server = FaultServer.Start(async (_, _, s, _) =>
        {
            await FaultServer.Raw(s, "HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\nContent-Length: 999999999999\r\n\r\n{\"detail\":\"boom");
            return false;
        });
        using var client = new MesaClient(new MesaClientOptions { BaseUri = server.BaseUri });

        var read = await Assert.ThrowsAsync<MesaException>(() => client.GetHealthAsync());
        var write = await Assert.ThrowsAsync<MesaException>(() => client.CreatePrincipalAsync("acme", new string('a', 64)));

        Assert.All(new[] { read, write }, ex =>
        {
            Assert.Equal(500, ex.StatusCode);
            Assert.Equal("ServerError", ex.ErrorClass);
            Assert.Equal("{\"detail\":\"boom", ex.Body);
            Assert.Contains("the server answered 500, but the connection closed before the rest of its body came", ex.Message);
            Assert.DoesNotContain("Could not reach", ex.Message);
            Assert.DoesNotContain("may or may not", ex.Message);
        });
        Assert.IsNotType<MesaOutcomeUnknownException>(write);
    }

    [Fact]
    public async Task An_error_body_that_stalls_past_the_timeout_names_the_timeout_and_keeps_the_status()
    {
        await using var server = FaultServer.Start(async (_, _, s, ct) =>
        {
            await FaultServer.Raw(s, "HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"detail\":\"bo");
            await Task.Delay(Timeout.Infinite, ct); // the rest never comes, the connection stays open
            return false;
        });
        using var client = new MesaClient(new MesaClientOptions { BaseUri = server.BaseUri, Timeout = TimeSpan.FromMilliseconds(400) });

        var ex = await Assert.ThrowsAsync<MesaException>(() => client.GetHealthAsync());

        Assert.Equal(500, ex.StatusCode);
        Assert.Contains("the server answered 500, but the rest of its body did not come within the timeout of 0.4 s", ex.Message);
    }

    [Fact]
    public async Task A_503_whose_body_never_finishes_is_retried_as_a_503_not_a_timed_out_write()
    {
        const string commitment = "{\"id\":\"c1\",\"type\":\"offer\",\"principal_id\":\"p1\",\"status\":\"active\",\"decision\":{\"action\":\"allow\",\"applied\":[]}}";
        await using var server = FaultServer.Start(async (i, _, s, ct) =>
        {
            if (i > 0) return await FaultServer.Respond(s, 201, commitment);
            await FaultServer.Raw(s, "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"detail\":\"restar");
            await Task.Delay(Timeout.Infinite, ct); // the rest never comes, the connection stays open
            return false;
        });
        using var client = new MesaClient(new MesaClientOptions
        {
            BaseUri = server.BaseUri, Timeout = TimeSpan.FromMilliseconds(500), Retry = new MesaRetryOptions(1, TimeSpan.FromMilliseconds(10)),
        });
        var envelope = MesaEnvelope.Create("offer", "p1", new Dictionary<string, object?> { ["summary"] = "s" }, "d1").Sign(Keys);
        var log = new List<MesaRequestLog>();

        MesaCommitment result;
        using (MesaRequestLog.Listen(e => { lock (log) log.Add(e); }))
        {
            result = await client.SubmitCommitmentAsync(envelope);
        }

        Assert.Equal("c1", result.Id);
        Assert.Equal(2, server.RequestCount);
        lock (log) Assert.Contains(log, e => e.Retry?.StartsWith("503, retry 1 of 1", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_refused_connection_and_an_unknown_host_say_nothing_was_sent_and_what_to_check()
    {
        using var refused = new MesaClient(new MesaClientOptions { BaseUri = CannedServer.ClosedPortUri() });
        using var unknown = new MesaClient(new MesaClientOptions { BaseUri = new Uri("http://no-such-host.invalid/") });

        var a = await Assert.ThrowsAsync<MesaException>(() => refused.CreatePrincipalAsync("acme", new string('a', 64)));
        var b = await Assert.ThrowsAsync<MesaException>(() => unknown.GetHealthAsync());

        Assert.Equal("ConnectionFailed", a.ErrorClass);
        Assert.Contains("Could not reach the mesa server at", a.Message);
        Assert.Contains("Nothing was sent. Nothing listens there: start the server", a.Message);
        Assert.Equal("ConnectionFailed", b.ErrorClass);
        Assert.Contains("Nothing was sent. The host name does not resolve: check the address", b.Message);
    }

    [Fact]
    public async Task A_server_that_answers_garbage_is_not_valid_http_rather_than_unreachable()
    {
        await using var server = FaultServer.Start(async (_, _, s, _) =>
        {
            await FaultServer.Raw(s, "SSH-2.0-OpenSSH_9.6\r\n\r\n");
            return false;
        });
        using var client = new MesaClient(new MesaClientOptions { BaseUri = server.BaseUri });

        var ex = await Assert.ThrowsAsync<MesaException>(() => client.GetHealthAsync());

        Assert.Contains("was reached but its answer is not valid HTTP", ex.Message);
        Assert.Contains("Is this a mesa server", ex.Message);
        Assert.DoesNotContain("Could not reach", ex.Message);
    }

    [Fact]
    public async Task Https_to_a_plain_http_server_says_the_tls_connection_failed_and_nothing_was_sent()
    {
        // A plain-HTTP server answers the TLS hello with an HTTP error at once, as Kestrel or uvicorn do.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var connections = 0;
        var serving = Task.Run(async () =>
        {
            while (true)
            {
                using var socket = await listener.AcceptTcpClientAsync();
                Interlocked.Increment(ref connections);
                await socket.GetStream().WriteAsync("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray());
            }
        });
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        using var client = new MesaClient(new MesaClientOptions { BaseUri = new Uri($"https://127.0.0.1:{port}/"), Retry = new MesaRetryOptions(3, TimeSpan.FromMilliseconds(10)) });

        var ex = await Assert.ThrowsAsync<MesaException>(() => client.CreatePrincipalAsync("acme", new string('a', 64)));

        Assert.Equal("ConnectionFailed", ex.ErrorClass);
        Assert.Contains("secure (TLS) connection", ex.Message);
        Assert.Contains("nothing was sent", ex.Message);
        Assert.Equal(1, Volatile.Read(ref connections)); // not retried
        listener.Stop();
        await serving.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    [Fact]
    public async Task A_server_that_closes_on_a_large_body_says_it_was_reached_and_why_it_may_have_closed()
    {
        await using var server = FaultServer.Start((_, _, _, _) => Task.FromResult(false));
        using var client = new MesaClient(new MesaClientOptions { BaseUri = server.BaseUri });

        var ex = await Assert.ThrowsAsync<MesaOutcomeUnknownException>(() => client.CreateDeliberationAsync(new string('t', 200_000)));

        Assert.Contains("was reached but closed the connection", ex.Message);
        Assert.Contains("the server may have refused its size", ex.Message);
        Assert.DoesNotContain("Could not reach", ex.Message);
    }
}
