using Mesa.Client;
using static Mesa.Client.LocalServerContract;

namespace Mesa.LocalServer.Hosting;

/// <summary>
/// Reads the command line (<c>--urls</c>, <c>--db</c>, <c>--admin-token</c>, <c>--policies</c>, <c>--schemas</c>,
/// <c>--protocol</c>, <c>--parent-pid</c>); the names are <see cref="LocalServerContract"/>'s.
/// </summary>
public static class ServerOptionsParser
{
    /// <summary>The environment variable read when <c>--admin-token</c> is not given.</summary>
    public const string AdminTokenVariable = MesaEnvironmentVariables.AdminToken;

    /// <summary>The usage text printed by <c>--help</c>.</summary>
    public const string Usage = $$"""
        Usage: dotnet Mesa.LocalServer.dll [options]

        A local mesa server (protocol v2 by default) over SQLite.

        Options:
          {{UrlsOption}} URL            where to listen (default http://127.0.0.1:8000; port 0 picks a free port)
          {{DatabaseOption}} PATH             SQLite file, created when missing (default mesa-local.db); {{InMemoryDatabase}} for a throwaway store
          {{AdminTokenOption}} TOKEN   admin token for PUT /principals/{id}/capabilities and /_local/policies
                                (default: the {{AdminTokenVariable}} environment variable; none: admin routes answer admin_disabled)
          {{PoliciesOption}} FILE       JSON array of policies to load at start
          {{SchemasOption}} DIR         extra commitment type packs (DIR/*.json, or DIR/<pack>/*.json); may be repeated
          {{ProtocolOption}} v1|v2      protocol generation (default v2)
          {{ParentPidOption}} PID      exit when process PID ends (Start-MesaLocalServer passes its own pwsh)
          -h, {{HelpOption}}            show this text

        When ready, the first line on stdout is: {{LocalServerReadyLine.Prefix}}http://HOST:PORT
        """;

    /// <summary>True when the arguments ask for the usage text.</summary>
    public static bool IsHelpRequest(IReadOnlyList<string> args) => args.Any(a => a is "-h" or HelpOption or "-?" or "/?");

    /// <summary>Parses the arguments.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="environment">Reads an environment variable (for <see cref="AdminTokenVariable"/>).</param>
    /// <exception cref="StartupException">An unknown option, a missing or bad value.</exception>
    public static ServerOptions Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var options = new ServerOptions();
        var schemas = new List<string>();
        string? token = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string name;
            string? inline = null;
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 2)
            {
                name = arg[..eq];
                inline = arg[(eq + 1)..];
            }
            else
            {
                name = arg;
            }

            string Value()
            {
                if (inline is not null) return inline;
                if (i + 1 >= args.Count || (args[i + 1].StartsWith("--", StringComparison.Ordinal) && args[i + 1].Length > 2))
                {
                    throw new StartupException($"{name} needs a value.");
                }

                return args[++i];
            }

            if (name != SchemasOption && IsKnown(name) && !seen.Add(name))
            {
                throw new StartupException($"{name} is given more than once; give it once.");
            }

            switch (name)
            {
                case UrlsOption:
                    options = options with { Listen = ListenAddress.Parse(Value()) };
                    break;
                case DatabaseOption:
                    var db = Value();
                    if (string.IsNullOrWhiteSpace(db))
                    {
                        throw new StartupException("--db needs a file path, or :memory: for a throwaway store.");
                    }

                    options = options with { DatabasePath = db };
                    break;
                case AdminTokenOption:
                    token = Value();
                    if (token.Length == 0)
                    {
                        throw new StartupException("--admin-token is empty; give a token, or leave the option out to disable the admin routes.");
                    }

                    break;
                case PoliciesOption:
                    var policies = Value();
                    if (!File.Exists(policies))
                    {
                        throw new StartupException($"--policies: the file '{policies}' does not exist; give the path of a JSON array of policies.");
                    }

                    options = options with { PoliciesFile = policies };
                    break;
                case SchemasOption:
                    var dir = Value();
                    if (!Directory.Exists(dir))
                    {
                        throw new StartupException($"--schemas: the directory '{dir}' does not exist; give a directory of JSON Schema files (DIR/*.json or DIR/<pack>/*.json).");
                    }

                    schemas.Add(dir);
                    break;
                case ProtocolOption:
                    var protocol = Value();
                    options = options with
                    {
                        Protocol = ParseProtocolValue(protocol)
                            ?? throw new StartupException($"--protocol '{protocol}' is not known; use v1 or v2."),
                    };
                    break;
                case ParentPidOption:
                    var pid = Value();
                    if (!int.TryParse(pid, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parent) || parent <= 0)
                    {
                        throw new StartupException($"--parent-pid '{pid}' is not a process id; give a positive integer.");
                    }

                    options = options with { ParentProcessId = parent };
                    break;
                default:
                    throw new StartupException(
                        arg.StartsWith('-')
                            ? $"unknown option '{name}'. Known options: --urls, --db, --admin-token, --policies, --schemas, --protocol, --parent-pid, --help."
                            : $"unexpected argument '{arg}'; every value follows its option, such as --db {arg}.");
            }
        }

        token ??= environment(AdminTokenVariable);
        return options with { AdminToken = string.IsNullOrEmpty(token) ? null : token, SchemaDirectories = schemas };
    }

    private static bool IsKnown(string name) => name is UrlsOption or DatabaseOption or AdminTokenOption or PoliciesOption or ProtocolOption or ParentPidOption;
}
