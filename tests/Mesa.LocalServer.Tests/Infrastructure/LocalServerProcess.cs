using System.Diagnostics;
using System.Text;
using Mesa.Client;

namespace Mesa.LocalServer.Tests.Infrastructure;

/// <summary>
/// Runs Mesa.LocalServer as a real process on loopback (<c>dotnet Mesa.LocalServer.dll --urls http://127.0.0.1:0 ...</c>),
/// waits for its ready line, reads the port from it, and kills it on dispose. The server is the build next to the test
/// assembly, or the one named by <c>MESA_LOCALSERVER_DLL</c> (such as <c>out/LocalServer/Mesa.LocalServer.dll</c>).
/// </summary>
public sealed class LocalServerProcess : IDisposable
{
    public const string ReadyPrefix = "Mesa local server listening on ";

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private LocalServerProcess(Process process, Uri baseUri, string readyLine)
    {
        _process = process;
        BaseUri = baseUri;
        ReadyLine = readyLine;
    }

    /// <summary>The server assembly that is started.</summary>
    public static string ServerDll
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("MESA_LOCALSERVER_DLL");
            var path = string.IsNullOrEmpty(configured) ? Path.Combine(AppContext.BaseDirectory, "Mesa.LocalServer.dll") : configured;
            if (!File.Exists(path)) throw new FileNotFoundException($"The local server is not at '{path}'; build it or set MESA_LOCALSERVER_DLL.", path);
            return path;
        }
    }

    public Uri BaseUri { get; }

    public int Port => BaseUri.Port;

    public string ReadyLine { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the server wrote to stdout so far (the ready line first).</summary>
    public string StandardOutput
    {
        get { lock (_stdout) return _stdout.ToString(); }
    }

    /// <summary>Everything the server wrote to stderr so far.</summary>
    public string StandardError
    {
        get { lock (_stderr) return _stderr.ToString(); }
    }

    /// <summary>Starts the server with <paramref name="args"/> (a free loopback port unless <c>--urls</c> is given) and waits until it is ready.</summary>
    /// <exception cref="InvalidOperationException">It exited or stayed silent; the message holds its stderr.</exception>
    public static async Task<LocalServerProcess> StartAsync(params string[] args)
    {
        var arguments = args.Contains("--urls") ? args : new[] { "--urls", "http://127.0.0.1:0" }.Concat(args).ToArray();
        var process = CreateProcess(arguments);
        var ready = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stdout) stdout.AppendLine(e.Data);
            ready.TrySetResult(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stderr) stderr.AppendLine(e.Data);
        };
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("exited"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        string line;
        try
        {
            line = await ready.Task.WaitAsync(ReadyTimeout);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            var exited = process.WaitForExit(5000);
            if (!exited) process.Kill(entireProcessTree: true);
            process.WaitForExit();
            string error;
            lock (stderr) error = stderr.ToString();
            throw new InvalidOperationException($"The local server did not become ready (exit code {(exited ? process.ExitCode : -1)}): {error}", ex);
        }

        if (!line.StartsWith(ReadyPrefix, StringComparison.Ordinal))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"The first stdout line is not the ready line: '{line}'.");
        }

        var server = new LocalServerProcess(process, new Uri(line[ReadyPrefix.Length..]), line);
        // From here on the output keeps flowing into the server's own buffers.
        lock (stdout) server._stdout.Append(stdout);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (server._stdout) server._stdout.AppendLine(e.Data); };
        lock (stderr) server._stderr.Append(stderr);
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (server._stderr) server._stderr.AppendLine(e.Data); };
        return server;
    }

    /// <summary>Runs the server expecting it to stop by itself (bad options); returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string StandardOutput, string StandardError)> RunToExitAsync(params string[] args)
    {
        using var process = CreateProcess(args);
        process.Start();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ReadyTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("The local server kept running although it was expected to stop.");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>A client for this server.</summary>
    public MesaClient CreateClient(string? adminToken = null, MesaProfile profile = MesaProfile.V2, TimeSpan? timeout = null) =>
        new(new MesaClientOptions { BaseUri = BaseUri, AdminToken = adminToken, Profile = profile, Timeout = timeout ?? TimeSpan.FromSeconds(30) });

    /// <summary>Kills the process at once (SIGKILL): no shutdown code runs.</summary>
    public void Kill()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>Asks the process to stop with SIGTERM (Unix) and returns its exit code.</summary>
    public async Task<int> TerminateAsync()
    {
        using (var kill = Process.Start(new ProcessStartInfo("kill", $"-TERM {_process.Id}") { UseShellExecute = false })!)
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    private static Process CreateProcess(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(DotNetHost())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(ServerDll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment.Remove("MESA_ADMIN_TOKEN");
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return new Process { StartInfo = start };
    }

    private static string DotNetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host)) return host;
        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current).Equals("dotnet", StringComparison.OrdinalIgnoreCase) ? current : "dotnet";
    }
}
