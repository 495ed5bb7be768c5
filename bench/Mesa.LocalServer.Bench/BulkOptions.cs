using System.Globalization;

namespace Mesa.LocalServer.Bench;

/// <summary>Command-line settings of the bulk-path benchmark (<c>bulk</c> mode).</summary>
internal sealed record BulkOptions
{
    public int Items { get; init; } = 10000;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(3);

    public TimeSpan Latency { get; init; } = TimeSpan.FromMilliseconds(15);

    public int LatencyItems { get; init; } = 300;

    public string? ServerDll { get; init; }

    public string? ModulePath { get; init; }

    public const string Usage = """
        Usage: dotnet run -c Release --project bench/Mesa.LocalServer.Bench -- bulk [options]

        Measures the bulk path in one run, against the local server as a process on a free loopback port:
          - the baseline: the server's own capacity for POST /commitments (pre-signed envelopes, 8 connections),
            measured before and after the PowerShell cases (their mean is the baseline);
          - in a real `dotnet pwsh` importing the built module: New-MesaEnvelope per item against
            MesaEnvelope.Create(...).Sign(...) in the same process; Submit-MesaCommitment at -ThrottleLimit 1, 4, 8,
            pre-signed and signing with -Keypair; Import-Csv | New-MesaEnvelope | Submit-MesaCommitment -ThrottleLimit 8;
          - -ThrottleLimit 1 and 8 through a proxy that delays every answer (upstream-like latency).

        Options:
          --items N           envelopes / CSV rows per case (default 10000)
          --duration SECONDS  measured time of each capacity run (default 5)
          --warmup SECONDS    unmeasured time before each capacity run (default 3); the unmeasured capacity runs
                              before the first measured one repeat until the server's CPU per request settles,
                              and pwsh repeats every case's call on 1,000 items until its JIT is quiet
          --latency-ms MS     delay the proxy adds to each answer (default 15)
          --latency-items N   envelopes sent sequentially through the proxy; 4N at -ThrottleLimit 8 (default 300)
          --server PATH       Mesa.LocalServer.dll to run (default: out/LocalServer, else the Release build)
          --module PATH       the module manifest to import (default: out/Mesa/Mesa.psd1)
        """;

    public static BulkOptions Parse(IEnumerable<string> arguments)
    {
        var args = arguments.ToArray();
        var options = new BulkOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            double Seconds() => double.Parse(Next(), CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--items" => options with { Items = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--duration" => options with { Duration = TimeSpan.FromSeconds(Seconds()) },
                "--warmup" => options with { Warmup = TimeSpan.FromSeconds(Seconds()) },
                "--latency-ms" => options with { Latency = TimeSpan.FromMilliseconds(double.Parse(Next(), CultureInfo.InvariantCulture)) },
                "--latency-items" => options with { LatencyItems = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--server" => options with { ServerDll = Next() },
                "--module" => options with { ModulePath = Next() },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'.\n\n{Usage}"),
            };
        }

        return options;
    }
}
