using System.Globalization;
using System.Net;
using Mesa.Client;
using Mesa.LocalServer.Bench;

// The local server's throughput, measured against a baseline in the same run; see BenchOptions.Usage.
// With "bulk" first: the bulk path through PowerShell against the server's capacity; see BulkOptions.Usage.
if (args.Length > 0 && args[0] == "bulk")
{
    BulkOptions bulk;
    try
    {
        bulk = BulkOptions.Parse(args.Skip(1));
    }
    catch (ArgumentException ex)
    {
        Console.Error.WriteLine(ex.Message);
        return 2;
    }

    return await BulkBench.RunAsync(bulk);
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

var dll = ServerProcess.Locate(options.ServerDll);
var workDir = Directory.CreateTempSubdirectory("mesa-bench-");
var database = options.Database == "memory" ? ":memory:" : Path.Combine(workDir.FullName, "bench.db");
const string AdminToken = "bench-admin-token";
try
{
    using var server = await ServerProcess.StartAsync(dll, AdminToken, "--db", database);
    Console.WriteLine($"server: {dll}");
    Console.WriteLine($"store:  {(options.Database == "memory" ? ":memory:" : database + " (WAL, synchronous=NORMAL)")}");
    Console.WriteLine($"cpus:   {Environment.ProcessorCount} (client and server share them)");

    // Setup through Mesa.Client: principals with the offer capability, one open deliberation, three policies in scope.
    using var client = new MesaClient(new MesaClientOptions { BaseUri = server.BaseUri, AdminToken = AdminToken });
    var signers = new List<(MesaKeypair Keys, string Id)>();
    for (var i = 0; i < 8; i++)
    {
        var keys = MesaKeypair.Generate();
        var principal = await client.CreatePrincipalAsync($"bench-{i}", keys.PublicKeyHex);
        await client.SetCapabilitiesAsync(principal.Id, new[] { "offer" });
        signers.Add((keys, principal.Id));
    }

    var deliberation = (await client.CreateDeliberationAsync("throughput")).Id;
    foreach (var policy in new[]
    {
        """{"name":"long terms","predicate_name":"term_months_over_cap","params":{"cap":36},"action":"route","route_to":"legal"}""",
        """{"name":"big spend","predicate_name":"spend_over_cap","params":{"cap":1000000},"action":"flag"}""",
        """{"name":"pii needs dpa","predicate_name":"scope_mentions_pii_without_dpa","action":"block"}""",
    })
    {
        await client.SendRawAsync(HttpMethod.Post, "_local/policies", policy, AdminToken);
    }

    Console.Write($"pre-signing {options.Envelopes} envelopes... ");
    var envelopes = new byte[options.Envelopes][];
    for (var i = 0; i < envelopes.Length; i++)
    {
        var (keys, id) = signers[i % signers.Count];
        var payload = new Dictionary<string, object?>
        {
            ["summary"] = "Licence offer " + i,
            ["terms"] = new Dictionary<string, object?> { ["term_months"] = 12 + (i % 48), ["fee_total_usd"] = 1000.5 + i, ["scope"] = new[] { "news", "sports" } },
        };
        envelopes[i] = MesaEnvelope.Create("offer", id, payload, deliberation).Sign(keys).ToWireBytes();
    }

    Console.WriteLine("done");
    var runner = new LoadRunner(server.BaseUri, () => server.CpuTime);
    var results = new List<LoadResult>();
    foreach (var clients in options.Clients)
    {
        results.Add(await runner.RunAsync("GET /health (baseline)", clients, options.Warmup, options.Duration,
            _ => new HttpRequestMessage(HttpMethod.Get, "health"), HttpStatusCode.OK));
        results.Add(await runner.RunAsync("POST /commitments", clients, options.Warmup, options.Duration,
            n => LoadRunner.Post("commitments", envelopes[n % envelopes.Length]), HttpStatusCode.Created));
    }

    var peak = server.PeakMemoryBytes;
    Console.WriteLine();
    Console.WriteLine("| scenario | clients | requests | per second | vs. health | p50 ms | p99 ms | server CPU µs/req | failures |");
    Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    foreach (var r in results)
    {
        var baseline = results.First(b => b.Clients == r.Clients && b.Scenario.StartsWith("GET", StringComparison.Ordinal));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {r.Scenario} | {r.Clients} | {r.Requests} | {r.PerSecond:F0} | {r.PerSecond / baseline.PerSecond:P0} | {r.P50Milliseconds:F2} | {r.P99Milliseconds:F2} | {r.ServerCpuMicroseconds:F0} | {r.Failures} |"));
    }

    Console.WriteLine();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"server peak memory (VmHWM): {peak / (1024.0 * 1024.0):F1} MiB"));
    var stored = (await client.GetDeliberationAsync(deliberation)).Commitments.Count;
    Console.WriteLine($"commitments stored: {stored}");
    return results.Any(r => r.Failures > 0) ? 1 : 0;
}
finally
{
    try
    {
        workDir.Delete(recursive: true);
    }
    catch (IOException)
    {
        // the server may still hold the file for a moment; the temp folder is cleaned by the OS
    }
}
