using Mesa.Client;

namespace Mesa.LocalServer.Tests.Support;

/// <summary>
/// Runs Mesa.LocalServer as a real process on loopback through the one launcher (<see cref="LocalServerProcess"/>),
/// with a test's own command line. The server is the build next to the test assembly, or the one named by
/// <c>MESA_LOCALSERVER_DLL</c> (such as <c>out/LocalServer/Mesa.LocalServer.dll</c>).
/// </summary>
public static class TestServer
{
    // Enough for a whole test run: tests assert on everything the server wrote, not only its last lines.
    private const int KeptLines = 100_000;

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

    /// <summary>
    /// Starts the server with <paramref name="args"/> (on a free loopback port unless they give <c>--urls</c>) and
    /// waits until it is ready. No admin token is inherited from the environment.
    /// </summary>
    /// <exception cref="LocalServerStartException">It exited or stayed silent; the message holds what it said.</exception>
    public static Task<LocalServerProcess> StartAsync(params string[] args) =>
        LocalServerProcess.StartAsync(new LocalServerStartInfo
        {
            ServerPath = ServerDll,
            Port = args.Contains(LocalServerContract.UrlsOption) ? null : 0,
            AdditionalArguments = args,
            WorkingDirectory = Path.GetTempPath(),
            OutputLines = KeptLines,
        });

    /// <summary>Runs the server expecting it to stop by itself (bad options, <c>--help</c>); returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string StandardOutput, string StandardError)> RunToExitAsync(params string[] args)
    {
        try
        {
            using var server = await StartAsync(args);
        }
        catch (LocalServerStartException ex) when (ex.Failure == LocalServerStartFailure.Exited)
        {
            return (ex.ExitCode!.Value, Text(ex.Output.StandardOutput), Text(ex.Output.StandardError));
        }

        throw new InvalidOperationException("The local server kept running although it was expected to stop.");
    }

    /// <summary>Lines as one text, each ended by a newline (as the process wrote them).</summary>
    public static string Text(IEnumerable<string> lines) => string.Concat(lines.Select(l => l + Environment.NewLine));
}
