using System.Diagnostics;
using Mesa.Client;
using Microsoft.Extensions.Hosting;

namespace Mesa.LocalServer.Hosting;

/// <summary>
/// With <c>--parent-pid</c>, stops the server once that process has ended: a pwsh killed outright runs no clean-up,
/// and its server must not be left behind. The parent's start time is remembered, so a reused pid is not mistaken
/// for the parent.
/// </summary>
internal sealed class ParentProcessWatchdog(ServerOptions options, IHostApplicationLifetime lifetime) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.ParentProcessId is not int pid) return;
        var startedAt = StartTime(pid);
        using var timer = new PeriodicTimer(Interval);
        try
        {
            do
            {
                if (!IsAlive(pid, startedAt))
                {
                    Console.Error.WriteLine($"{LocalServerContract.DiagnosticPrefix}parent process {pid} has ended; stopping.");
                    lifetime.StopApplication();
                    return;
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // The host is stopping (or never finished starting): nothing left to watch, and nothing to report.
        }
    }

    private static bool IsAlive(int pid, DateTime? startedAt)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited && (startedAt is null || StartTime(process) == startedAt);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    private static DateTime? StartTime(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return StartTime(process);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    // Null when the OS will not tell (then only the pid's existence is checked).
    private static DateTime? StartTime(Process process)
    {
        try
        {
            return process.StartTime;
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return null;
        }
    }
}
