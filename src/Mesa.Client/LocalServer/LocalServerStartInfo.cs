namespace Mesa.Client;

/// <summary>
/// How <see cref="LocalServerProcess.StartAsync"/> starts a local server: which build, which options. Each property
/// left null is not passed, so the server's own default applies. The admin token goes into the child's environment,
/// never onto its command line; it never appears in <see cref="ToString"/>.
/// </summary>
public sealed class LocalServerStartInfo
{
    /// <summary>
    /// The server to run: <c>Mesa.LocalServer.dll</c> (run with the dotnet host) or a native executable (run
    /// directly). Relative paths are taken from the current directory.
    /// </summary>
    public required string ServerPath { get; init; }

    /// <summary>The port on 127.0.0.1 to listen on; 0 (the default) lets the OS pick a free one; null passes no <c>--urls</c>.</summary>
    public int? Port { get; init; } = 0;

    /// <summary>The SQLite file (<c>--db</c>), or <see cref="LocalServerContract.InMemoryDatabase"/>.</summary>
    public string? DatabasePath { get; init; }

    /// <summary>A JSON file of policies to load at start (<c>--policies</c>).</summary>
    public string? PolicyPath { get; init; }

    /// <summary>The protocol generation (<c>--protocol</c>).</summary>
    public MesaProfile? Profile { get; init; }

    /// <summary>
    /// The admin token, handed over in <see cref="MesaEnvironmentVariables.AdminToken"/>. Null starts a server with
    /// the admin routes disabled: a token in this process's own environment is not inherited either.
    /// </summary>
    public string? AdminToken { get; init; }

    /// <summary>
    /// Passes this process's id as <c>--parent-pid</c> (the default), so the server exits by itself when this
    /// process is gone, even killed outright.
    /// </summary>
    public bool ExitWithParent { get; init; } = true;

    /// <summary>More arguments, passed after the ones above as they are (for tests of the command line itself).</summary>
    public IReadOnlyList<string> AdditionalArguments { get; init; } = Array.Empty<string>();

    /// <summary>The server's working directory; null for the directory of <see cref="ServerPath"/>.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>How long to wait for the ready line before the server is stopped and the start fails.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long the started server may take to answer <c>/health</c> after its ready line; null skips the check.
    /// </summary>
    public TimeSpan? HealthTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How many of the server's last output lines are kept (per stream, and both together).</summary>
    public int OutputLines { get; init; } = 200;

    /// <summary>Called with each line the server writes to stderr, as it arrives (from a thread-pool thread).</summary>
    public Action<string>? StandardErrorLine { get; init; }

    /// <summary>The server and its options; never the admin token.</summary>
    public override string ToString() =>
        $"LocalServerStartInfo(ServerPath={ServerPath}, Port={Port?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, " +
        $"Database={DatabasePath ?? "default"}, Policies={PolicyPath ?? "none"}, Profile={Profile?.ToString() ?? "default"}, " +
        $"AdminToken={(AdminToken is null ? "none" : "<redacted>")}, ExitWithParent={ExitWithParent})";
}
