using Mesa.Client;
using Mesa.LocalServer.Tests.Support;

namespace Mesa.LocalServer.Tests.EndToEnd;

/// <summary>
/// The one launcher (<see cref="LocalServerProcess"/>) against the real server process: options, the ready line,
/// the admin token through the environment, a failed start in the server's words, the stop.
/// </summary>
public sealed class LocalServerLauncherTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Starts_the_server_with_its_options_and_reads_the_address_from_the_ready_line()
    {
        const string Token = "launcher-token-5d1e";
        var db = Path.Combine(_dir.Path, "launched.db");
        using var server = await LocalServerProcess.StartAsync(new LocalServerStartInfo
        {
            ServerPath = TestServer.ServerDll,
            DatabasePath = db,
            Profile = MesaProfile.V1,
            AdminToken = Token,
        });

        Assert.True(LocalServerReadyLine.TryParse(server.ReadyLine, out var announced));
        Assert.Equal(announced, server.Uri);
        Assert.NotEqual(0, server.Port);
        Assert.Equal(server.ReadyLine, Assert.Single(server.Output.StandardOutput));
        Assert.False(server.HasExited);
        Assert.Null(server.ExitCode);
        Assert.True(File.Exists(db), "--db reached the server");

        // --protocol v1 reached it: a v1 envelope is accepted; the token from the environment opens the admin route.
        using var client = server.CreateClient(Token, MesaProfile.V1);
        var keys = MesaKeypair.Generate();
        var principal = await client.CreatePrincipalAsync("launched", keys.PublicKeyHex);
        await client.SetCapabilitiesAsync(principal.Id, new[] { "approval" });
        var result = await client.SubmitCommitmentAsync(MesaEnvelope.Create("approval", principal.Id, new Dictionary<string, object?> { ["approves"] = "c1" }, profile: MesaProfile.V1).Sign(keys));
        Assert.Equal("active", result.Status);

        if (OperatingSystem.IsLinux())
        {
            // The command line is readable by every user of the machine: the token is not on it, the parent is.
            var commandLine = File.ReadAllText($"/proc/{server.ProcessId}/cmdline").Split('\0');
            Assert.DoesNotContain(commandLine, a => a.Contains(Token, StringComparison.Ordinal));
            Assert.DoesNotContain(LocalServerContract.AdminTokenOption, commandLine);
            var parent = Array.IndexOf(commandLine, LocalServerContract.ParentPidOption);
            Assert.True(parent > 0, string.Join(' ', commandLine));
            Assert.Equal(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), commandLine[parent + 1]);
        }
    }

    [Fact]
    public async Task A_bad_option_fails_with_exit_code_2_and_the_servers_own_line_in_the_message()
    {
        var ex = await Assert.ThrowsAsync<LocalServerStartException>(() => LocalServerProcess.StartAsync(new LocalServerStartInfo
        {
            ServerPath = TestServer.ServerDll,
            DatabasePath = LocalServerContract.InMemoryDatabase,
            AdditionalArguments = new[] { "--bogus" },
        }));

        Assert.Equal(LocalServerStartFailure.Exited, ex.Failure);
        Assert.Equal(LocalServerContract.ExitCodeStartupFailure, ex.ExitCode);
        var verdict = Assert.Single(ex.Output.Diagnostics);
        Assert.StartsWith(LocalServerContract.DiagnosticPrefix + "unknown option '--bogus'", verdict);
        Assert.Contains(verdict, ex.Output.StandardError);
        Assert.Empty(ex.Output.StandardOutput);
        Assert.StartsWith("The local server did not start: it exited with code 2. It said:", ex.Message);
        Assert.Contains("  " + verdict, ex.Message);
    }

    [Fact]
    public async Task A_missing_server_is_named()
    {
        var missing = Path.Combine(_dir.Path, "Mesa.LocalServer.dll");
        var ex = await Assert.ThrowsAsync<LocalServerStartException>(() => LocalServerProcess.StartAsync(new LocalServerStartInfo { ServerPath = missing }));
        Assert.Equal(LocalServerStartFailure.ServerMissing, ex.Failure);
        Assert.Contains(missing, ex.Message);
        Assert.Null(ex.ExitCode);
    }

    [Fact]
    public async Task A_server_that_never_reports_ready_is_stopped_at_the_timeout()
    {
        if (OperatingSystem.IsWindows()) return; // the stand-in below is a shell script
        var silent = _dir.Write("silent-server.sh", "#!/bin/sh\necho starting up >&2\nexec sleep 600\n");
        File.SetUnixFileMode(silent, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var ex = await Assert.ThrowsAsync<LocalServerStartException>(() => LocalServerProcess.StartAsync(new LocalServerStartInfo
        {
            ServerPath = silent,
            StartTimeout = TimeSpan.FromSeconds(3),
        }));

        Assert.Equal(LocalServerStartFailure.TimedOut, ex.Failure);
        Assert.Null(ex.ExitCode);
        Assert.Equal(new[] { "starting up" }, ex.Output.StandardError);
        Assert.StartsWith("The local server did not report that it was listening within 3 s; it was stopped.", ex.Message);
    }

    [Fact]
    public async Task Stop_asks_the_server_to_stop_and_it_exits_cleanly()
    {
        var server = await LocalServerProcess.StartAsync(new LocalServerStartInfo
        {
            ServerPath = TestServer.ServerDll,
            DatabasePath = Path.Combine(_dir.Path, "stopped.db"),
        });
        try
        {
            var pid = server.ProcessId;
            var code = server.Stop(TimeSpan.FromSeconds(30));

            Assert.True(server.HasExited);
            if (!OperatingSystem.IsWindows())
            {
                // SIGTERM, not a kill: the server ran its shutdown and says it stopped cleanly.
                Assert.Equal(LocalServerContract.ExitCodeStopped, code);
                Assert.Equal(LocalServerContract.ExitCodeStopped, server.ExitCode);
                Assert.Empty(server.Output.StandardError);
            }

            Assert.Throws<ArgumentException>(() => System.Diagnostics.Process.GetProcessById(pid).Dispose());
            Assert.Equal(code, server.Stop(TimeSpan.FromSeconds(1))); // a second stop changes nothing
        }
        finally
        {
            server.Dispose();
        }

        Assert.True(server.HasExited);
    }

    [Fact]
    public void The_start_info_never_shows_the_admin_token()
    {
        var info = new LocalServerStartInfo { ServerPath = "Mesa.LocalServer.dll", AdminToken = "hunter2-admin" };
        Assert.DoesNotContain("hunter2-admin", info.ToString());
        Assert.Contains("<redacted>", info.ToString());
    }
}
