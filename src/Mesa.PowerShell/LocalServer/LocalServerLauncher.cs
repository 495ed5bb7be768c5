using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Mesa.Client;
using Mesa.PowerShell.Infrastructure;

namespace Mesa.PowerShell.LocalServer;

/// <summary>
/// Starts the server bundled in the module folder (<c>LocalServer/Mesa.LocalServer.dll</c>) with the dotnet host,
/// waits for its ready line, and checks that it answers.
/// </summary>
internal static class LocalServerLauncher
{
    private const string AdminTokenVariable = "MESA_ADMIN_TOKEN";
    private const string ServerPrefix = "Mesa.LocalServer: ";

    // The server's first stdout line once it listens: "Mesa local server listening on http://127.0.0.1:PORT".
    private static readonly Regex ReadyLine = new(@"listening on (https?://\S+)", RegexOptions.CultureInvariant);

    /// <summary>Where the bundled server lives: next to the module.</summary>
    public static string ServerAssemblyPath =>
        Path.Combine(ModuleInitializer.ModuleDirectory, "LocalServer", "Mesa.LocalServer.dll");

    public static async Task<MesaLocalServer> StartAsync(LocalServerOptions options, Guid ownerRunspaceId, CancellationToken cancellationToken)
    {
        var serverPath = ServerAssemblyPath;
        if (!File.Exists(serverPath))
        {
            throw new LocalServerStartException(
                $"The bundled server is missing: {serverPath} does not exist. Rebuild the module (./build.ps1 Build) or reinstall it.",
                "LocalServerMissing");
        }

        var tail = new OutputTail(200);
        var ready = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = CreateStartInfo(serverPath, options), EnableRaisingEvents = true };

        // Both streams are drained for the server's whole life, so it can never block on a full pipe.
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            tail.Add(e.Data);
            var match = ReadyLine.Match(e.Data);
            if (match.Success && Uri.TryCreate(match.Groups[1].Value, UriKind.Absolute, out var uri))
            {
                ready.TrySetResult(uri);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) tail.Add(e.Data);
        };

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
                "DotnetHostNotFound", innerException: ex);
        }

        // The server must not read pwsh's console: it got a pipe of its own, closed at once.
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            var uri = await WaitUntilReadyAsync(process, ready.Task, tail, options.StartTimeout, cancellationToken).ConfigureAwait(false);
            var server = new MesaLocalServer(
                process, tail, uri, options.DatabasePath, options.PolicyPath, options.Profile,
                options.AdminToken is null ? null : SecureStrings.Protect(options.AdminToken), ownerRunspaceId);
            if (!await server.PingAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false))
            {
                throw new LocalServerStartException(
                    $"The local server said it listens on {uri} but /health does not answer there.{Describe(tail)}",
                    "LocalServerStartFailed", serverOutput: tail.Snapshot());
            }

            return server;
        }
        catch
        {
            Kill(process);
            throw;
        }
    }

    private static async Task<Uri> WaitUntilReadyAsync(
        Process process, Task<Uri> ready, OutputTail tail, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var exited = process.WaitForExitAsync(timer.Token);
        var expired = Task.Delay(timeout, timer.Token);
        var first = await Task.WhenAny(ready, exited, expired).ConfigureAwait(false);
        timer.Cancel();
        if (first == ready) return await ready.ConfigureAwait(false);

        cancellationToken.ThrowIfCancellationRequested();
        if (first == exited)
        {
            // The synchronous wait also waits for the redirected streams to reach their end: the whole story.
            process.WaitForExit();
            var code = process.ExitCode;
            throw new LocalServerStartException(
                $"The local server did not start: it exited with code {code.ToString(CultureInfo.InvariantCulture)}.{Describe(tail)}",
                "LocalServerStartFailed", code, tail.Snapshot());
        }

        throw new LocalServerStartException(
            $"The local server did not report that it was listening within {timeout.TotalSeconds:0} s; it was stopped.{Describe(tail)} " +
            "A busy machine may need a longer -TimeoutSec.",
            "LocalServerStartTimeout", serverOutput: tail.Snapshot());
    }

    private static ProcessStartInfo CreateStartInfo(string serverPath, LocalServerOptions options)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            CreateNoWindow = true,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(serverPath)!,
        };
        info.ArgumentList.Add(serverPath);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add("http://127.0.0.1:" + options.Port.ToString(CultureInfo.InvariantCulture));
        info.ArgumentList.Add("--db");
        info.ArgumentList.Add(options.DatabasePath);
        info.ArgumentList.Add("--protocol");
        info.ArgumentList.Add(options.Profile == MesaProfile.V1 ? "v1" : "v2");
        if (options.PolicyPath is not null)
        {
            info.ArgumentList.Add("--policies");
            info.ArgumentList.Add(options.PolicyPath);
        }

        // The server exits by itself when this process is gone (pwsh killed), so it cannot be orphaned.
        info.ArgumentList.Add("--parent-pid");
        info.ArgumentList.Add(Environment.ProcessId.ToString(CultureInfo.InvariantCulture));

        // The token travels in the child's environment, never on its command line (where ps would show it); a
        // token in pwsh's own environment must not reach a server meant to run without one.
        if (options.AdminToken is null)
        {
            info.Environment.Remove(AdminTokenVariable);
        }
        else
        {
            info.Environment[AdminTokenVariable] = options.AdminToken;
        }

        return info;
    }

    /// <summary>The dotnet host: the one running this process when it is dotnet, else the SDK's, else PATH's.</summary>
    internal static string DotnetHost()
    {
        var exe = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        var current = Environment.ProcessPath;
        if (current is not null && string.Equals(Path.GetFileName(current), exe, StringComparison.OrdinalIgnoreCase))
        {
            return current;
        }

        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk)) return fromSdk;

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, exe);
            if (File.Exists(candidate)) return candidate;
        }

        var root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        if (!string.IsNullOrEmpty(root) && File.Exists(Path.Combine(root, exe))) return Path.Combine(root, exe);

        // Let Process.Start report it: the error names the file it could not run.
        return exe;
    }

    private static string Describe(OutputTail tail)
    {
        var lines = tail.Snapshot();
        if (lines.Length == 0) return " It wrote nothing.";

        // The server states its verdict on lines of its own ("Mesa.LocalServer: ..."); framework log noise (a
        // stack trace) may come first. Show the verdict when there is one, else the last lines. All of it stays
        // in the exception's ServerOutput.
        var verdict = lines.Where(l => l.StartsWith(ServerPrefix, StringComparison.Ordinal)).ToArray();
        var shown = verdict.Length > 0 ? verdict : lines.Skip(Math.Max(0, lines.Length - 20));
        return " It said:" + Environment.NewLine + string.Join(Environment.NewLine, shown.Select(l => "  " + l));
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception)
        {
            // Already gone.
        }
        finally
        {
            process.Dispose();
        }
    }
}
