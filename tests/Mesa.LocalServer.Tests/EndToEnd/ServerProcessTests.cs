using Mesa.Client;
using Mesa.LocalServer.Tests.Support;

namespace Mesa.LocalServer.Tests.EndToEnd;

/// <summary>The process contract: ready line, port 0, exit codes and messages, SIGTERM, and no lost writes after a kill.</summary>
public sealed class ServerProcessTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Port_0_picks_a_free_port_and_the_ready_line_names_it()
    {
        using var a = await TestServer.StartAsync("--db", ":memory:");
        using var b = await TestServer.StartAsync("--db", ":memory:");
        Assert.Matches(@"^Mesa local server listening on http://127\.0\.0\.1:\d+$", a.ReadyLine);
        Assert.NotEqual(0, a.Port);
        Assert.NotEqual(a.Port, b.Port);
        using var client = b.CreateClient();
        Assert.Equal("ok", (await client.GetHealthAsync()).Status);
    }

    [Fact]
    public async Task Help_prints_the_options_and_exits_0()
    {
        var (code, stdout, _) = await TestServer.RunToExitAsync("--help");
        Assert.Equal(0, code);
        Assert.Contains("--urls URL", stdout);
        Assert.Contains("--protocol v1|v2", stdout);
    }

    [Theory]
    [InlineData(new[] { "--bogus" }, "unknown option '--bogus'")]
    [InlineData(new[] { "--protocol", "v9" }, "--protocol 'v9' is not known")]
    [InlineData(new[] { "--urls", "http://example.com:1" }, "must be an IP address or localhost")]
    [InlineData(new[] { "--db", "/no/such/dir/mesa.db" }, "does not exist")]
    public async Task Bad_options_print_one_clear_message_and_exit_2(string[] args, string expected)
    {
        var (code, stdout, stderr) = await TestServer.RunToExitAsync(args);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains(expected, stderr);
        Assert.DoesNotContain("   at ", stderr); // no stack trace
    }

    [Fact]
    public async Task A_taken_port_is_reported_and_exits_2()
    {
        using var first = await TestServer.StartAsync("--db", ":memory:");
        var (code, stdout, stderr) = await TestServer.RunToExitAsync("--urls", $"http://127.0.0.1:{first.Port}", "--db", ":memory:");
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains($"cannot listen on http://127.0.0.1:{first.Port}: the port is already in use", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public async Task A_broken_policies_file_is_reported_with_the_entry_and_exits_2()
    {
        var file = _dir.Write("policies.json", """[{"name":"route it","predicate_name":"spend_over_cap","params":{"cap":5},"action":"route"}]""");
        var (code, stdout, stderr) = await TestServer.RunToExitAsync("--urls", "http://127.0.0.1:0", "--db", ":memory:", "--policies", file);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains("entry 1 ('route it'): route_to: Value error, a 'route' policy must name route_to", stderr);
    }

    [Fact]
    public async Task A_duplicate_schema_type_is_reported_naming_both_files_and_exits_2()
    {
        var file = _dir.Write("extra/offer.json", """{"type":"object"}""");
        var (code, _, stderr) = await TestServer.RunToExitAsync("--urls", "http://127.0.0.1:0", "--db", ":memory:", "--schemas", _dir.Path);
        Assert.Equal(2, code);
        Assert.Contains("built-in core/offer.schema.json", stderr);
        Assert.Contains(file, stderr);
    }

    [Fact]
    public async Task Sigterm_stops_it_cleanly_with_exit_0()
    {
        if (OperatingSystem.IsWindows()) return; // no SIGTERM there
        var db = Path.Combine(_dir.Path, "term.db");
        using var server = await TestServer.StartAsync("--db", db);
        using (var client = server.CreateClient())
        {
            await client.CreatePrincipalAsync("before sigterm", MesaKeypair.Generate().PublicKeyHex);
        }

        Assert.Equal(0, await server.TerminateAsync());
        Assert.Equal("", server.StandardErrorText().Trim());
    }

    [Fact]
    public async Task A_killed_process_loses_no_acknowledged_write()
    {
        var db = Path.Combine(_dir.Path, "killed.db");
        const string Token = "kill-test-token";
        var acknowledged = new List<string>();
        string deliberation;
        using (var server = await TestServer.StartAsync("--db", db, "--admin-token", Token))
        {
            using var client = server.CreateClient(Token);
            var keys = MesaKeypair.Generate();
            var principal = await client.CreatePrincipalAsync("acme", keys.PublicKeyHex);
            await client.SetCapabilitiesAsync(principal.Id, new[] { "offer" });
            deliberation = (await client.CreateDeliberationAsync("kill -9")).Id;
            for (var i = 0; i < 25; i++)
            {
                var envelope = MesaEnvelope.Create("offer", principal.Id, new Dictionary<string, object?> { ["summary"] = "n" + i, ["terms"] = new Dictionary<string, object?>() }, deliberation).Sign(keys);
                acknowledged.Add((await client.SubmitCommitmentAsync(envelope)).Id);
                await client.AddTurnAsync(deliberation, MesaEnvelope.Create("turn", principal.Id, new Dictionary<string, object?> { ["content"] = "t" + i }, deliberation).Sign(keys));
            }

            server.Kill(); // SIGKILL right after the last acknowledgement
        }

        using var restarted = await TestServer.StartAsync("--db", db);
        using var reader = restarted.CreateClient();
        var detail = await reader.GetDeliberationAsync(deliberation);
        Assert.Equal(acknowledged, detail.Commitments.Select(c => c.Id));
        Assert.Equal(Enumerable.Range(0, 25), detail.Turns.Select(t => t.Index));
    }

    [Fact]
    public async Task A_v1_server_process_speaks_the_older_generation()
    {
        using var server = await TestServer.StartAsync("--db", ":memory:", "--protocol", "v1", "--admin-token", "v1-token");
        using var client = server.CreateClient("v1-token", MesaProfile.V1);
        var keys = MesaKeypair.Generate();
        var principal = await client.CreatePrincipalAsync("legacy", keys.PublicKeyHex);
        await client.SetCapabilitiesAsync(principal.Id, new[] { "approval" });
        var result = await client.SubmitCommitmentAsync(MesaEnvelope.Create("approval", principal.Id, new Dictionary<string, object?> { ["approves"] = "c1" }, profile: MesaProfile.V1).Sign(keys));
        Assert.Equal("active", result.Status);
        await Assert.ThrowsAsync<MesaNotFoundException>(() => client.CreateDeliberationAsync("none in v1"));
    }

    [Fact]
    public async Task The_admin_token_from_the_environment_is_used_and_never_printed()
    {
        const string Token = "printed-never-123";
        using var server = await LocalServerProcess.StartAsync(new LocalServerStartInfo
        {
            ServerPath = TestServer.ServerDll,
            DatabasePath = LocalServerContract.InMemoryDatabase,
            AdminToken = Token, // handed over in MESA_ADMIN_TOKEN, not on the command line
        });
        var keys = MesaKeypair.Generate();
        using (var wrong = server.CreateClient("wrong"))
        {
            var principal = await wrong.CreatePrincipalAsync("x", keys.PublicKeyHex);
            await Assert.ThrowsAsync<MesaForbiddenException>(() => wrong.SetCapabilitiesAsync(principal.Id, new[] { "offer" }));
            using var right = server.CreateClient(Token);
            await right.SetCapabilitiesAsync(principal.Id, new[] { "offer" });
        }

        Assert.DoesNotContain(Token, server.StandardOutputText() + server.StandardErrorText());
    }
}
