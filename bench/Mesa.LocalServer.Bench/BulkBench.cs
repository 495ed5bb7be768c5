using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Mesa.Client;

namespace Mesa.LocalServer.Bench;

/// <summary>The bulk path measured end to end against the server's own capacity in the same run; see <see cref="BulkOptions.Usage"/>.</summary>
internal static class BulkBench
{
    private const string AdminToken = "bench-admin-token";
    private const string Type = "dpa_reference"; // flat string fields: a CSV row is a valid payload as it is

    public static async Task<int> RunAsync(BulkOptions options)
    {
        var root = RepositoryRoot();
        var module = Path.GetFullPath(options.ModulePath ?? Path.Combine(root, "out", "Mesa", "Mesa.psd1"));
        if (!File.Exists(module)) throw new FileNotFoundException($"No module at '{module}'; build it first (dotnet pwsh ./build.ps1 Build).");
        var dll = ServerProcess.Locate(options.ServerDll);
        var work = Directory.CreateTempSubdirectory("mesa-bulk-bench-");
        try
        {
            using var server = await ServerProcess.StartAsync(dll, AdminToken, "--db", Path.Combine(work.FullName, "bench.db"));
            await using var proxy = new DelayProxy(server.BaseUri, options.Latency);
            Console.WriteLine($"server: {dll} at {server.BaseUri} (file SQLite, WAL)");
            Console.WriteLine($"module: {module}");
            Console.WriteLine($"proxy:  {proxy.BaseUri} adds {options.Latency.TotalMilliseconds:F0} ms to each answer");
            Console.WriteLine($"cpus:   {Environment.ProcessorCount} (server, load generator and pwsh share them)");

            // One principal allowed the type, one open deliberation, the same three policies as the throughput bench.
            using var client = new MesaClient(new MesaClientOptions { BaseUri = server.BaseUri, AdminToken = AdminToken });
            var keys = MesaKeypair.Generate();
            var principal = (await client.CreatePrincipalAsync("bench-bulk", keys.PublicKeyHex)).Id;
            await client.SetCapabilitiesAsync(principal, new[] { Type });
            var deliberation = (await client.CreateDeliberationAsync("bulk")).Id;
            foreach (var policy in new[]
            {
                """{"name":"long terms","predicate_name":"term_months_over_cap","params":{"cap":36},"action":"route","route_to":"legal"}""",
                """{"name":"big spend","predicate_name":"spend_over_cap","params":{"cap":1000000},"action":"flag"}""",
                """{"name":"pii needs dpa","predicate_name":"scope_mentions_pii_without_dpa","action":"block"}""",
            })
            {
                await client.SendRawAsync(HttpMethod.Post, "_local/policies", policy, AdminToken);
            }

            // The same rows three ways: a CSV file, pre-signed wire JSON (for pwsh and for the load generator), and a key file.
            var csv = Path.Combine(work.FullName, "rows.csv");
            var jsonl = Path.Combine(work.FullName, "signed.jsonl");
            var keyFile = Path.Combine(work.FullName, "bench.key");
            var wire = new byte[options.Items][];
            using (var rows = new StreamWriter(csv, false, new UTF8Encoding(false)))
            using (var lines = File.Create(jsonl))
            {
                rows.Write("uri,version,executed_at\n");
                for (var i = 0; i < options.Items; i++)
                {
                    var (uri, version, executedAt) = ($"https://contracts.example/dpa/{i}", $"v{1 + (i % 9)}", $"2026-05-{1 + (i % 28):00}T09:30:00Z");
                    rows.Write($"{uri},{version},{executedAt}\n");
                    var payload = new Dictionary<string, object?> { ["uri"] = uri, ["version"] = version, ["executed_at"] = executedAt };
                    wire[i] = MesaEnvelope.Create(Type, principal, payload, deliberation).Sign(keys).ToWireBytes();
                    lines.Write(wire[i]);
                    lines.WriteByte((byte)'\n');
                }
            }

            File.WriteAllText(keyFile, $"mesa-ed25519-seed-v1 public={keys.PublicKeyHex}\n{keys.ExportPrivateKeyHex()}\n");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);

            var runner = new LoadRunner(server.BaseUri, () => server.CpuTime);
            async Task<LoadResult> Capacity(string when) => await runner.RunAsync($"server capacity ({when})", 8, options.Warmup, options.Duration,
                n => LoadRunner.Post("commitments", wire[n % wire.Length]), HttpStatusCode.Created);

            // Unmeasured runs first: the first load on a fresh server is slower (JIT tiers, SQLite cache) than what follows,
            // and on a loaded machine the tier-up takes tens of seconds. Repeated until the server's CPU per request
            // settles (two runs in a row within 10%), at most six times.
            var warm = await Capacity("warm-up");
            for (var i = 0; i < 5; i++)
            {
                var next = await Capacity("warm-up");
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"warm-up: {next.PerSecond:F0}/s, CPU per request server {next.ServerCpuMicroseconds:F0} µs, load generator {next.ClientCpuMicroseconds:F0} µs"));
                var settled = Math.Abs(next.ServerCpuMicroseconds - warm.ServerCpuMicroseconds) <= 0.1 * warm.ServerCpuMicroseconds;
                warm = next;
                if (settled) break;
            }

            var before = await Capacity("before");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"capacity before: {before.PerSecond:F0}/s ({before.Failures} failures), CPU per request server {before.ServerCpuMicroseconds:F0} µs, load generator {before.ClientCpuMicroseconds:F0} µs"));
            var cases = await RunDriverAsync(root, Path.Combine(AppContext.BaseDirectory, "bulk-driver.ps1"), () => server.CpuTime,
                "-Module", module, "-Uri", server.BaseUri.ToString(), "-ProxyUri", proxy.BaseUri.ToString(), "-EnvelopeFile", jsonl,
                "-KeyFile", keyFile, "-CsvFile", csv, "-Principal", principal, "-Deliberation", deliberation, "-Type", Type,
                "-LatencyItems", options.LatencyItems.ToString(CultureInfo.InvariantCulture));
            var after = await Capacity("after");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"capacity after:  {after.PerSecond:F0}/s ({after.Failures} failures), CPU per request server {after.ServerCpuMicroseconds:F0} µs, load generator {after.ClientCpuMicroseconds:F0} µs"));

            return Report(before, after, cases, options);
        }
        finally
        {
            try
            {
                work.Delete(recursive: true);
            }
            catch (IOException)
            {
                // the server may still hold the database for a moment; the temp folder is cleaned by the OS
            }
        }
    }

    private static int Report(LoadResult before, LoadResult after, IReadOnlyList<BulkCase> cases, BulkOptions options)
    {
        var baseline = (before.PerSecond + after.PerSecond) / 2;
        string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
        Console.WriteLine();
        Console.WriteLine(F($"baseline: the server's own capacity, pre-signed, 8 connections: {baseline:F0}/s (before {before.PerSecond:F0}, after {after.PerSecond:F0})"));
        // CPU time per request does not move with the machine's load as rates do. When the cores are saturated, a case's
        // rate relative to the baseline is about (server + load generator) / (server + pwsh) CPU per request.
        var serverCpu = (before.ServerCpuMicroseconds + after.ServerCpuMicroseconds) / 2;
        var generatorCpu = (before.ClientCpuMicroseconds + after.ClientCpuMicroseconds) / 2;
        Console.WriteLine(F($"CPU per request in the baseline: server {serverCpu:F0} µs (before {before.ServerCpuMicroseconds:F0}, after {after.ServerCpuMicroseconds:F0}), load generator {generatorCpu:F0} µs (before {before.ClientCpuMicroseconds:F0}, after {after.ClientCpuMicroseconds:F0})"));
        Console.WriteLine();
        Console.WriteLine("| case | items | landed | errors | per second | vs. capacity | target | pwsh CPU µs/item | server CPU µs/item | CPU-bound ratio |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |");
        var failed = false;
        foreach (var c in cases.Where(c => !c.Case.StartsWith("New-MesaEnvelope", StringComparison.Ordinal) && !c.Case.StartsWith("latency", StringComparison.Ordinal)))
        {
            var target = c.Case switch
            {
                "pre-signed, -ThrottleLimit 8" => 0.9,
                _ when c.Case.StartsWith("Import-Csv", StringComparison.Ordinal) => 0.7,
                _ => (double?)null,
            };
            var ratio = c.PerSecond / baseline;
            var verdict = target is null ? "" : F($">= {target:F1}: {(!c.Measured ? "not measured" : ratio >= target ? "met" : "NOT met")}");
            failed |= target is not null && c.Measured && ratio < target;
            var name = c.Case.Replace("|", "\\|", StringComparison.Ordinal);
            var bound = c.ClientCpuMicroseconds + c.ServerCpuMicroseconds > 0 ? (serverCpu + generatorCpu) / (c.ClientCpuMicroseconds + c.ServerCpuMicroseconds) : 0;
            Console.WriteLine(c.Measured
                ? F($"| {name} | {c.Items} | {c.Ok} | {c.Errors} | {c.PerSecond:F0} | {ratio:F2} | {verdict} | {c.ClientCpuMicroseconds:F0} | {c.ServerCpuMicroseconds:F0} | {bound:F2} |")
                : F($"| {name} | {c.Items} | - | - | - | - | {c.Note} | | | |"));
        }

        var sequential = cases.FirstOrDefault(c => c.Case == "latency: pre-signed, -ThrottleLimit 1");
        var parallel = cases.FirstOrDefault(c => c.Case == "latency: pre-signed, -ThrottleLimit 8");
        Console.WriteLine();
        Console.WriteLine(F($"with {options.Latency.TotalMilliseconds:F0} ms added to each answer (through the delaying proxy):"));
        Console.WriteLine("| case | items | landed | errors | per second | vs. sequential | target |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var c in new[] { sequential, parallel }.OfType<BulkCase>())
        {
            var speedup = sequential is { Measured: true } ? c.PerSecond / sequential.PerSecond : 0;
            var verdict = c == parallel ? (c.Measured ? F($">= 6x: {(speedup >= 6 ? "met" : "NOT met")}") : c.Note) : "";
            failed |= c == parallel && c.Measured && speedup < 6;
            Console.WriteLine(c.Measured
                ? F($"| {c.Case} | {c.Items} | {c.Ok} | {c.Errors} | {c.PerSecond:F0} | {speedup:F2}x | {verdict} |")
                : F($"| {c.Case} | {c.Items} | - | - | - | - | {verdict} |"));
        }

        var cost = cases.FirstOrDefault(c => c.Case.StartsWith("New-MesaEnvelope", StringComparison.Ordinal));
        if (cost is not null)
        {
            Console.WriteLine();
            Console.WriteLine(F($"New-MesaEnvelope per item (bulk mode, CSV rows, signed): {cost.Value:F2}x MesaEnvelope.Create(...).Sign(...) called directly in the same pwsh; {cost.Note}; target <= 3x: {(cost.Value <= 3 ? "met" : "NOT met")}"));
            failed |= cost.Value > 3;
        }

        var errors = cases.Sum(c => c.Errors) + before.Failures + after.Failures;
        if (errors > 0) Console.WriteLine($"{errors} item(s) failed; see the notes above.");
        return errors > 0 || failed ? 1 : 0;
    }

    // serverCpu is sampled when the driver announces a case ("BEGIN") and when it reports it, for the server's CPU per item.
    private static async Task<IReadOnlyList<BulkCase>> RunDriverAsync(string root, string script, Func<TimeSpan> serverCpu, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = root, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "pwsh", "-NoProfile", "-NonInteractive", "-File", script }.Concat(arguments)) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var cases = new List<BulkCase>();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("pwsh: " + e.Data); };
        process.BeginErrorReadLine();
        var serverAtBegin = TimeSpan.Zero;
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("BEGIN ", StringComparison.Ordinal))
            {
                serverAtBegin = serverCpu();
                continue;
            }

            if (!line.StartsWith("RESULT ", StringComparison.Ordinal))
            {
                Console.WriteLine("pwsh: " + line);
                continue;
            }

            using var json = JsonDocument.Parse(line["RESULT ".Length..]);
            var r = json.RootElement;
            var seconds = r.GetProperty("seconds").GetDouble();
            var c = new BulkCase(r.GetProperty("case").GetString()!, r.GetProperty("items").GetInt32(), seconds,
                r.GetProperty("ok").GetInt32(), r.GetProperty("errors").GetInt32(), r.GetProperty("note").GetString() ?? "", r.GetProperty("value").GetDouble(),
                TimeSpan.FromMilliseconds(r.GetProperty("cpuMs").GetDouble()), seconds > 0 ? serverCpu() - serverAtBegin : TimeSpan.Zero,
                TimeSpan.FromMilliseconds(r.GetProperty("jitMs").GetDouble()));
            cases.Add(c);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {c.Case}: {(c.Measured ? $"{c.Ok}/{c.Items} in {c.Seconds:F2} s = {c.PerSecond:F0}/s, CPU per item pwsh {c.ClientCpuMicroseconds:F0} µs (JIT {c.ClientJit.TotalMilliseconds:F0} ms in all), server {c.ServerCpuMicroseconds:F0} µs" : "")}{(c.Value > 0 ? $"{c.Value:F2}x" : "")} {c.Note}"));
        }

        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"The PowerShell driver failed with exit code {process.ExitCode}; see its output above.");
        return cases;
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Mesa.PowerShell.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("Cannot find the repository root (Mesa.PowerShell.sln) above the bench.");
    }
}
