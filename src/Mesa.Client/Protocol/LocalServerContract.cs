namespace Mesa.Client;

/// <summary>
/// The command line and exit codes of the local server process (<c>Mesa.LocalServer</c>): the server parses and
/// returns these, and every launcher (Start-MesaLocalServer, the tests, the bench) passes and reads them from here.
/// The ready line is <see cref="LocalServerReadyLine"/>; the admin token's variable is
/// <see cref="MesaEnvironmentVariables.AdminToken"/>.
/// </summary>
public static class LocalServerContract
{
    /// <summary><c>--urls URL</c>: the one http address to listen on; port 0 picks a free one.</summary>
    public const string UrlsOption = "--urls";

    /// <summary><c>--db PATH</c>: the SQLite file, or <see cref="InMemoryDatabase"/>.</summary>
    public const string DatabaseOption = "--db";

    /// <summary>
    /// <c>--admin-token TOKEN</c>. Launchers never pass it (a command line is visible to every user of the machine):
    /// they set <see cref="MesaEnvironmentVariables.AdminToken"/> in the child's environment instead.
    /// </summary>
    public const string AdminTokenOption = "--admin-token";

    /// <summary><c>--policies FILE</c>: a JSON array of policies loaded at start.</summary>
    public const string PoliciesOption = "--policies";

    /// <summary><c>--schemas DIR</c>: extra commitment type packs; the only option that may be repeated.</summary>
    public const string SchemasOption = "--schemas";

    /// <summary><c>--protocol v1|v2</c>: the protocol generation spoken (see <see cref="ProtocolValue"/>).</summary>
    public const string ProtocolOption = "--protocol";

    /// <summary><c>--parent-pid PID</c>: the server exits by itself once that process has ended.</summary>
    public const string ParentPidOption = "--parent-pid";

    /// <summary><c>--help</c> (also <c>-h</c>, <c>-?</c>, <c>/?</c>): prints the usage text and exits with <see cref="ExitCodeStopped"/>.</summary>
    public const string HelpOption = "--help";

    /// <summary>The <see cref="DatabaseOption"/> value for a throwaway store that lives in memory.</summary>
    public const string InMemoryDatabase = ":memory:";

    /// <summary>Exit code of a server that was stopped (SIGTERM, Ctrl+C, its parent gone) or printed its help.</summary>
    public const int ExitCodeStopped = 0;

    /// <summary>Exit code of a server that could not start as configured; it said why on stderr (<see cref="DiagnosticPrefix"/>).</summary>
    public const int ExitCodeStartupFailure = 2;

    /// <summary>
    /// What starts each line the server itself writes to stderr about a failure (as opposed to framework log lines),
    /// so a launcher can pick out the server's verdict.
    /// </summary>
    public const string DiagnosticPrefix = "Mesa.LocalServer: ";

    /// <summary>The <see cref="ProtocolOption"/> value for a profile: <c>v1</c> or <c>v2</c>.</summary>
    public static string ProtocolValue(MesaProfile profile) => profile == MesaProfile.V1 ? "v1" : "v2";

    /// <summary>The profile a <see cref="ProtocolOption"/> value names (case-insensitive); null when it names none.</summary>
    public static MesaProfile? ParseProtocolValue(string? value) => value?.ToLowerInvariant() switch
    {
        "v1" => MesaProfile.V1,
        "v2" => MesaProfile.V2,
        _ => null,
    };
}
