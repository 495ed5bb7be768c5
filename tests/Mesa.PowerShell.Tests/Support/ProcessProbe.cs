using System.Diagnostics;

namespace Mesa.PowerShell.Tests;

/// <summary>Asks the OS whether a process is still there.</summary>
internal static class ProcessProbe
{
    public static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Waits (polling) until the process is gone; true when it went within the time given.</summary>
    public static bool WaitGone(int pid, TimeSpan within) => WaitUntil.Holds(() => !IsAlive(pid), within);
}
