using System.Runtime.InteropServices;

namespace Mesa.Client;

/// <summary>SIGTERM for a child process: .NET can only kill (SIGKILL), which runs none of the server's shutdown.</summary>
internal static class ProcessSignals
{
    private const int SigTerm = 15;

    /// <summary>Sends SIGTERM; false on Windows (no such signal) or when it could not be sent.</summary>
    public static bool TryTerminate(int processId)
    {
        if (OperatingSystem.IsWindows()) return false;
        try
        {
            return kill(processId, SigTerm) == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
