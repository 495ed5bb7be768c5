using System.Diagnostics;

namespace Mesa.LocalServer.Bench;

/// <summary>The local server as a child process on a free loopback port; killed on dispose.</summary>
internal sealed class ServerProcess : IDisposable
{
    private const string ReadyPrefix = "Mesa local server listening on ";
    private readonly Process _process;

    private ServerProcess(Process process, Uri baseUri)
    {
        _process = process;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

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

    public static async Task<ServerProcess> StartAsync(string dll, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        foreach (var arg in args) start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("server: " + e.Data); };
        process.BeginErrorReadLine();
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (line is null || !line.StartsWith(ReadyPrefix, StringComparison.Ordinal))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"The server did not start (first line: '{line}').");
        }

        // Keep draining stdout so the server never blocks on a full pipe.
        _ = process.StandardOutput.ReadToEndAsync();
        return new ServerProcess(process, new Uri(line[ReadyPrefix.Length..]));
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
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
    }
}
