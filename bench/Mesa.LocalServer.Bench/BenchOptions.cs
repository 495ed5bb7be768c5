using System.Globalization;

namespace Mesa.LocalServer.Bench;

/// <summary>Command-line settings of the load generator.</summary>
internal sealed record BenchOptions
{
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(3);

    public IReadOnlyList<int> Clients { get; init; } = new[] { 1, 8 };

    public int Envelopes { get; init; } = 20000;

    public string Database { get; init; } = "file";

    public string? ServerDll { get; init; }

    public const string Usage = """
        Usage: dotnet run -c Release --project bench/Mesa.LocalServer.Bench -- [options]

        Starts Mesa.LocalServer as a process on a free loopback port and measures, in one run:
          - the baseline: GET /health requests per second;
          - POST /commitments per second with pre-signed envelopes (all gates, three policies in scope, WAL SQLite file);
        for each client count, plus the server process's peak memory.

        Options:
          --duration SECONDS   measured time per scenario (default 10)
          --warmup SECONDS     unmeasured time before each scenario (default 3)
          --clients LIST       concurrent clients, comma-separated (default 1,8)
          --envelopes N        pre-signed envelopes, posted in turn (default 20000)
          --db file|memory     a temporary SQLite file (default) or :memory:
          --server PATH        Mesa.LocalServer.dll to run (default: out/LocalServer, else the Release build)
        """;

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--duration" => options with { Duration = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)) },
                "--warmup" => options with { Warmup = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)) },
                "--clients" => options with { Clients = Next().Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray() },
                "--envelopes" => options with { Envelopes = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--db" => options with { Database = Next() is "memory" or ":memory:" ? "memory" : "file" },
                "--server" => options with { ServerDll = Next() },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'.\n\n{Usage}"),
            };
        }

        return options;
    }
}
