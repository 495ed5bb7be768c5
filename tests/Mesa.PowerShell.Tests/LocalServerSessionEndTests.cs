using System.Diagnostics;

namespace Mesa.PowerShell.Tests;

/// <summary>
/// Servers never outlive the pwsh that started them: a real child pwsh (the repo's tool) starts one, then exits or is
/// killed outright, and the server must be gone.
/// </summary>
public sealed class LocalServerSessionEndTests
{
    [Fact]
    public void Leaving_pwsh_stops_its_server()
    {
        using var pwsh = ChildPwsh.Start("\"$PID $((Start-MesaLocalServer).ProcessId)\"; exit 0");
        var (_, pid) = ReadPids(pwsh);

        Assert.True(pwsh.WaitForExit(60_000), "pwsh did not exit");
        Assert.True(ProcessProbe.WaitGone(pid, TimeSpan.FromSeconds(10)), $"server {pid} outlived pwsh");
    }

    [Fact]
    public void Killing_pwsh_makes_its_server_exit_by_itself()
    {
        // The sleep only keeps the child alive until the test kills it; nothing waits for it to end.
        using var pwsh = ChildPwsh.Start("\"$PID $((Start-MesaLocalServer).ProcessId)\"; Start-Sleep -Seconds 300");
        var (shellPid, pid) = ReadPids(pwsh);
        Assert.True(ProcessProbe.IsAlive(pid));

        // SIGKILL on Unix: no ProcessExit handler runs, only the server's own watch on its parent can help.
        // (The dotnet muxer runs the pwsh tool as a child process: kill pwsh itself, by the pid it printed.)
        using (var shell = Process.GetProcessById(shellPid)) shell.Kill(entireProcessTree: false);
        pwsh.WaitForExit(10_000);

        var gone = ProcessProbe.WaitGone(pid, TimeSpan.FromSeconds(15));
        if (!gone)
        {
            using var orphan = Process.GetProcessById(pid);
            orphan.Kill();
        }

        Assert.True(gone, $"server {pid} outlived the killed pwsh");
    }


    // pwsh prints "<its own pid> <the server's pid>".
    private static (int Shell, int Server) ReadPids(Process pwsh)
    {
        var read = pwsh.StandardOutput.ReadLineAsync();
        var line = read.Wait(TimeSpan.FromSeconds(120)) ? read.Result : null;
        var parts = line?.Trim().Split(' ');
        if (parts is not { Length: 2 } || !int.TryParse(parts[0], out var shell) || !int.TryParse(parts[1], out var server))
        {
            pwsh.Kill(entireProcessTree: true);
            Assert.Fail($"pwsh did not print its pid and the server's within 2 minutes; it printed '{line}' and: {pwsh.StandardError.ReadToEnd()}");
            return default;
        }

        return (shell, server);
    }
}
