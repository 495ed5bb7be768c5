using System.Diagnostics;
using Mesa.Client;

namespace Mesa.LocalServer.Bench;

/// <summary>
/// The local server as a child process on a free loopback port, started by the one launcher
/// (<see cref="LocalServerProcess"/>), with what the bench measures of it; stopped on dispose.
/// </summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly LocalServerProcess _server;
    private readonly Process _process;

    private ServerProcess(LocalServerProcess server)
    {
        _server = server;
        _process = Process.GetProcessById(server.ProcessId);
    }

    public Uri BaseUri => _server.Uri;

    /// <summary>CPU time the server process has used so far (user and system, all threads).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>The peak resident set size so far (VmHWM on Linux), in bytes.</summary>
    public long PeakMemoryBytes
    {
        get
        {
            var status = $"/proc/{_process.Id}/status";
            if (File.Exists(status))
            {
                var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
                if (line is not null) return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
            }

            _process.Refresh();
            return _process.PeakWorkingSet64;
        }
    }

    /// <summary>
    /// Starts <paramref name="dll"/> with <paramref name="args"/> and <paramref name="adminToken"/> (handed over in the
    /// environment, as the module's launcher does, never on the command line); the server's stderr is echoed as it comes.
    /// </summary>
    /// <exception cref="LocalServerStartException">It did not start; the message holds what it said.</exception>
    public static async Task<ServerProcess> StartAsync(string dll, string adminToken, params string[] args)
    {
        var server = await LocalServerProcess.StartAsync(new LocalServerStartInfo
        {
            ServerPath = dll,
            AdminToken = adminToken,
            AdditionalArguments = args,
            WorkingDirectory = Environment.CurrentDirectory,
            StandardErrorLine = line => Console.Error.WriteLine("server: " + line),
        });
        return new ServerProcess(server);
    }

    /// <summary>The server to run: <paramref name="configured"/>, else out/LocalServer, else the Release build.</summary>
    public static string Locate(string? configured)
    {
        if (configured is not null)
        {
            return File.Exists(configured) ? Path.GetFullPath(configured) : throw new FileNotFoundException($"No server at '{configured}'.");
        }

        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Mesa.PowerShell.sln"))) dir = dir.Parent;
        if (dir is null) throw new FileNotFoundException("Cannot find the repository root; pass --server PATH.");
        foreach (var candidate in new[] { "out/LocalServer/Mesa.LocalServer.dll", "src/Mesa.LocalServer/bin/Release/net10.0/Mesa.LocalServer.dll" })
        {
            var path = Path.Combine(dir.FullName, candidate);
            if (File.Exists(path)) return path;
        }

        throw new FileNotFoundException("Build the server first (dotnet pwsh ./build.ps1 Build), or pass --server PATH.");
    }

    public void Dispose()
    {
        _server.Dispose();
        _process.Dispose();
    }
}
