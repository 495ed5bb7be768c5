using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace Mesa.Client;

/// <summary>
/// A local mesa server running as a child process: <see cref="StartAsync"/> starts it with the options of a
/// <see cref="LocalServerStartInfo"/>, waits for its ready line (<see cref="LocalServerReadyLine"/>) and its
/// <c>/health</c>; <see cref="Stop"/> asks it to stop (SIGTERM) and kills it when it does not. Both output streams
/// are drained for the server's whole life, so it never blocks on a full pipe; their last lines are kept in
/// <see cref="Output"/>. The one launcher behind Start-MesaLocalServer, the tests and the bench.
/// </summary>
public sealed class LocalServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly OutputTail _lines;
    private readonly OutputTail _stdout;
    private readonly OutputTail _stderr;
    private readonly TaskCompletionSource<string> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _gate = new();
    private bool _disposed;

    private LocalServerProcess(Process process, LocalServerStartInfo info)
    {
        _process = process;
        _lines = new OutputTail(info.OutputLines);
        _stdout = new OutputTail(info.OutputLines);
        _stderr = new OutputTail(info.OutputLines);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            _lines.Add(e.Data);
            _stdout.Add(e.Data);
            if (LocalServerReadyLine.TryParse(e.Data, out Uri? _)) _ready.TrySetResult(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            _lines.Add(e.Data);
            _stderr.Add(e.Data);
            info.StandardErrorLine?.Invoke(e.Data);
        };
    }

    /// <summary>The address from the ready line, such as <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Uri { get; private set; } = null!;

    /// <summary>The TCP port it listens on.</summary>
    public int Port => Uri.Port;

    /// <summary>The ready line exactly as the server wrote it.</summary>
    public string ReadyLine { get; private set; } = "";

    /// <summary>The server's process id.</summary>
    public int ProcessId { get; private set; }

    /// <summary>True once the process has ended (stopped, killed, or died).</summary>
    public bool HasExited
    {
        get
        {
            lock (_gate)
            {
                if (_disposed) return true;
                try
                {
                    return _process.HasExited;
                }
                catch (InvalidOperationException)
                {
                    return true;
                }
            }
        }
    }

    /// <summary>The exit code once the process has ended and was not disposed yet; null while it runs.</summary>
    public int? ExitCode
    {
        get
        {
            lock (_gate)
            {
                try
                {
                    return !_disposed && _process.HasExited ? _process.ExitCode : null;
                }
                catch (InvalidOperationException)
                {
                    return null;
                }
            }
        }
    }

    /// <summary>The server's last output lines so far.</summary>
    public LocalServerOutput Output => new(_lines.Snapshot(), _stdout.Snapshot(), _stderr.Snapshot());

    /// <summary>
    /// Starts the server and returns once it wrote its ready line (and answered <c>/health</c>, unless
    /// <see cref="LocalServerStartInfo.HealthTimeout"/> is null). A server that fails to start is stopped.
    /// </summary>
    /// <exception cref="LocalServerStartException">It is missing, could not be run, exited, stayed silent, or does not answer.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the server was stopped.</exception>
    public static async Task<LocalServerProcess> StartAsync(LocalServerStartInfo info, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(info);
        var serverPath = Path.GetFullPath(info.ServerPath);
        if (!File.Exists(serverPath))
        {
            throw new LocalServerStartException(
                $"The local server is missing: {serverPath} does not exist.", LocalServerStartFailure.ServerMissing);
        }

        var process = new Process { StartInfo = LocalServerCommandLine.Create(serverPath, info), EnableRaisingEvents = true };
        var server = new LocalServerProcess(process, info);
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException)
        {
            var host = process.StartInfo.FileName;
            process.Dispose();
            throw new LocalServerStartException(
                $"Could not run '{host}': {ex.Message}. Install the .NET runtime or put 'dotnet' on PATH.",
                LocalServerStartFailure.HostNotFound, innerException: ex);
        }

        server.ProcessId = process.Id;

        // The server must not read this process's console: it got a pipe of its own, closed at once.
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilReadyAsync(info, cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            server.Kill();
            server.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Asks the server to stop (SIGTERM; on Windows, which has none, it is killed), waits up to
    /// <paramref name="grace"/>, then kills its whole process tree. Returns the exit code (0 for a clean stop),
    /// or null when it could not be read. Safe to call more than once.
    /// </summary>
    public int? Stop(TimeSpan grace)
    {
        lock (_gate)
        {
            if (_disposed) return null;
            try
            {
                if (!_process.HasExited && !(ProcessSignals.TryTerminate(_process.Id) && _process.WaitForExit(grace)))
                {
                    _process.Kill(entireProcessTree: true);
                }

                // The synchronous wait also waits for the redirected streams to reach their end.
                _process.WaitForExit(10_000);
                return _process.HasExited ? _process.ExitCode : null;
            }
            catch (Exception ex) when (ex is InvalidOperationException or Win32Exception)
            {
                // Already gone, or no longer ours to signal.
                return null;
            }
        }
    }

    /// <summary>Stops the server as <see cref="Stop"/> does, without blocking the caller's thread.</summary>
    public Task<int?> StopAsync(TimeSpan grace) => Task.Run(() => Stop(grace));

    /// <summary>Kills the process tree at once (SIGKILL): no shutdown code runs. Safe to call more than once.</summary>
    public void Kill()
    {
        lock (_gate)
        {
            if (_disposed) return;
            try
            {
                if (!_process.HasExited) _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
            catch (Exception ex) when (ex is InvalidOperationException or Win32Exception)
            {
                // Already gone.
            }
        }
    }

    /// <summary>Stops the server (a short grace, then killed) and releases the process handle.</summary>
    public void Dispose()
    {
        Stop(TimeSpan.FromSeconds(5));
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _process.Dispose();
        }
    }

    /// <summary>The address and process id.</summary>
    public override string ToString() =>
        $"{(Uri is null ? "(not ready)" : Uri.ToString())} (pid {ProcessId.ToString(CultureInfo.InvariantCulture)})";

    private async Task WaitUntilReadyAsync(LocalServerStartInfo info, CancellationToken cancellationToken)
    {
        using (var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            var exited = _process.WaitForExitAsync(timer.Token);
            var expired = Task.Delay(info.StartTimeout, timer.Token);
            var first = await Task.WhenAny(_ready.Task, exited, expired).ConfigureAwait(false);
            timer.Cancel();
            cancellationToken.ThrowIfCancellationRequested();
            if (first == exited)
            {
                // The synchronous wait also waits for the redirected streams to reach their end: the whole story.
                _process.WaitForExit();
                var output = Output;
                var code = _process.ExitCode;
                throw new LocalServerStartException(
                    $"The local server did not start: it exited with code {code.ToString(CultureInfo.InvariantCulture)}.{Describe(output)}",
                    LocalServerStartFailure.Exited, code, output);
            }

            if (first == expired)
            {
                // Killed before the snapshot, so the streams have reached their end: everything it said is shown.
                Kill();
                var output = Output;
                throw new LocalServerStartException(
                    $"The local server did not report that it was listening within {info.StartTimeout.TotalSeconds:0} s; it was stopped.{Describe(output)}",
                    LocalServerStartFailure.TimedOut, output: output);
            }
        }

        ReadyLine = await _ready.Task.ConfigureAwait(false);
        LocalServerReadyLine.TryParse(ReadyLine, out var uri);
        Uri = uri!;
        if (info.HealthTimeout is { } healthTimeout && !await AnswersAsync(healthTimeout, cancellationToken).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var output = Output;
            throw new LocalServerStartException(
                $"The local server said it listens on {Uri} but /health does not answer there.{Describe(output)}",
                LocalServerStartFailure.NotAnswering, output: output);
        }
    }

    private async Task<bool> AnswersAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var client = new MesaClient(new MesaClientOptions { BaseUri = Uri, Timeout = timeout });
        try
        {
            var health = await client.GetHealthAsync(cancellationToken).ConfigureAwait(false);
            return string.Equals(health.Status, "ok", StringComparison.OrdinalIgnoreCase);
        }
        catch (MesaException)
        {
            return false;
        }
    }

    // The server states its verdict on lines of its own (LocalServerContract.DiagnosticPrefix); framework log noise (a
    // stack trace) may come first. Show the verdict when there is one, else the last lines. All of it stays in the
    // exception's Output.
    private static string Describe(LocalServerOutput output)
    {
        var lines = output.Lines;
        if (lines.Count == 0) return " It wrote nothing.";
        var verdict = output.Diagnostics;
        var shown = verdict.Count > 0 ? verdict : lines.Skip(Math.Max(0, lines.Count - 20));
        return " It said:" + Environment.NewLine + string.Join(Environment.NewLine, shown.Select(l => "  " + l));
    }
}
