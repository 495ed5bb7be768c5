using System.Net;
using System.Security.Cryptography;
using System.Text;
using Mesa.Client;
using Mesa.LocalServer.Tests.Support;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Mesa.LocalServer.Tests.EndToEnd;

/// <summary>
/// A seeded fuzz of every route against the server as a real process (issue 9 item 8): valid bodies mutated (value
/// types, nesting, numbers, invalid UTF-8, lone surrogates, duplicate keys, truncation, content types, chunked
/// transfer, odd ids). Every answer must come within the per-request timeout and be below 500, and a 4xx must leave
/// the SQLite file's data as it was. The seed is random per run and printed on failure; set MESA_FUZZ_SEED to replay.
/// </summary>
public sealed class BodyFuzzTests(ITestOutputHelper output) : IDisposable
{
    private const int CasesPerRoute = 350;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private static readonly string[] ContentTypes =
    {
        "application/json", "application/json", "application/json", "application/json; charset=utf-8", "text/plain",
        "application/vnd.mesa+json", "application/x-www-form-urlencoded", "application/json; charset=latin-1", "garbage", "",
    };

    private static readonly string[] Values =
    {
        "null", "true", "false", "0", "-0", "1", "-1", "1.5", "1e999", "-1e999", "1E+2", "0.1e-400", "NaN", "Infinity", "-Infinity",
        "123456789012345678901234567890", new string('9', 5000), "\"\"", "\"x\"", "\" \"", "\"\\ud800\"", "\"\\udfff\\ud800\"",
        "\"\\u0000\"", "\"offer\"", "\"turn\"", "\"scope\"", "\"closed\"", "\"block\"", "[]", "[1,2]", "[\"offer\"]", "[null]", "{}",
        "{\"a\":1}", "{\"\\ud800\":1}", "[[[[[[[[[[]]]]]]]]]]", "\"" + new string('a', 300) + "\"", "{\"cap\":-1}",
    };

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Mutated_bodies_on_every_route_never_5xx_never_hang_and_4xx_change_nothing()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("MESA_FUZZ_SEED"), out var fixedSeed) ? fixedSeed : RandomNumberGenerator.GetInt32(int.MaxValue);
        output.WriteLine($"seed {seed} (replay with MESA_FUZZ_SEED={seed})");
        var db = Path.Combine(_dir.Path, "fuzz.db");
        using var server = await TestServer.StartAsync("--db", db, "--admin-token", InProcessServer.AdminToken);
        using var client = server.CreateClient(InProcessServer.AdminToken);

        // Fixtures: a signer with capabilities, a principal whose capabilities are fuzzed, one deliberation for
        // commitments and turns and another for PATCH (which may close it).
        var signerKeys = MesaKeypair.Generate();
        var signer = await client.CreatePrincipalAsync("signer", signerKeys.PublicKeyHex);
        await client.SetCapabilitiesAsync(signer.Id, new[] { "offer", "counter", "turn" }, InProcessServer.AdminToken);
        var target = await client.CreatePrincipalAsync("target", MesaKeypair.Generate().PublicKeyHex);
        var open = (await client.CreateDeliberationAsync("fuzz")).Id;
        var patched = (await client.CreateDeliberationAsync("patched")).Id;
        var policy = await AddPolicyAsync(server);

        var random = new Random(seed);
        var routes = new List<(string Method, Func<string> Path, Func<string?> Body, bool Admin)>
        {
            ("POST", () => "/principals", () => $$"""{"org":"fuzz org","public_key":"{{MesaKeypair.Generate().PublicKeyHex}}"}""", false),
            ("PUT", () => $"/principals/{target.Id}/capabilities", () => """{"capabilities":["offer","counter"]}""", true),
            ("POST", () => "/commitments", () => MesaEnvelope.Create("offer", signer.Id, Payloads.Offer("fuzz", Payloads.Terms(("fee_total_usd", 5), ("scope", new[] { "PII" }))), open).Sign(signerKeys).ToWireJson(), false),
            ("POST", () => "/deliberations", () => """{"title":"fuzzed","counterparty_slug":"acme","stage":"offer"}""", false),
            ("PATCH", () => $"/deliberations/{patched}", () => """{"status":"open","stage":"scope"}""", false),
            ("POST", () => $"/deliberations/{open}/turns", () => MesaEnvelope.Create("turn", signer.Id, Payloads.Turn("a turn"), open).Sign(signerKeys).ToWireJson(), false),
            ("POST", () => "/_local/policies", () => """{"name":"fuzz policy","scope_kind":"global","predicate_name":"spend_over_cap","params":{"cap":1000000},"action":"flag","enabled":true}""", true),
            ("GET", () => "/principals/" + OddId(random, signer.Id), () => null, false),
            ("GET", () => "/deliberations/" + OddId(random, open), () => null, false),
            ("DELETE", () => "/_local/policies/" + OddId(random, "pol_nope"), () => null, true),
        };

        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = server.Uri, Timeout = Timeout.InfiniteTimeSpan };
        var before = Snapshot(db);
        var counts = new SortedDictionary<int, int>();
        var cases = 0;
        for (var round = 0; round < CasesPerRoute; round++)
        {
            foreach (var route in routes)
            {
                cases++;
                var valid = route.Body();
                var (body, what) = valid is null ? (null, "no body") : Mutate(random, Encoding.UTF8.GetBytes(valid));
                var contentType = ContentTypes[random.Next(ContentTypes.Length)];
                var chunked = random.Next(4) == 0;
                var path = route.Path();
                var label = $"seed {seed}, case {cases}: {route.Method} {path} ({what}; content type '{contentType}'{(chunked ? "; chunked" : "")})";

                using var request = new HttpRequestMessage(new HttpMethod(route.Method), path);
                if (route.Admin) request.Headers.TryAddWithoutValidation("X-Admin-Token", InProcessServer.AdminToken);
                if (body is not null)
                {
                    request.Content = chunked ? new ChunkedContent(body, random.Next(1, 64)) : new ByteArrayContent(body);
                    if (contentType.Length > 0) request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
                }

                using var timeout = new CancellationTokenSource(RequestTimeout);
                HttpResponseMessage response;
                try
                {
                    response = await http.SendAsync(request, timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    Assert.Fail($"no answer within {RequestTimeout.TotalSeconds} s: {label}");
                    throw;
                }

                using (response)
                {
                    var status = (int)response.StatusCode;
                    var text = await response.Content.ReadAsStringAsync();
                    counts[status] = counts.GetValueOrDefault(status) + 1;
                    Assert.True(status < 500, $"{status} {Excerpt(text)}: {label}\nserver stderr: {Tail(server.StandardErrorText())}");
                    var after = Snapshot(db);
                    if (status >= 400)
                    {
                        Assert.True(before == after, $"a {status} changed the stored data ({Excerpt(text)}): {label}");
                    }

                    before = after;
                }
            }
        }

        output.WriteLine($"{cases} cases: " + string.Join(", ", counts.Select(c => $"{c.Key} x{c.Value}")));
        Assert.DoesNotContain("Unhandled", server.StandardErrorText(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("fail:", server.StandardErrorText());
        Assert.True(counts.Keys.Any(s => s is >= 200 and < 300), "some mutations keep a body valid");
        Assert.NotNull(await client.GetPrincipalAsync(signer.Id));
        _ = policy;
    }

    // A mutation or two of a valid body, with a description for the failure message.
    private static (byte[] Body, string What) Mutate(Random random, byte[] valid)
    {
        var body = valid;
        var what = new List<string>();
        var rounds = random.Next(1, 3);
        for (var i = 0; i < rounds; i++)
        {
            byte[] next;
            string name;
            try
            {
                (next, name) = MutateOnce(random, body);
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.Text.Json.JsonException)
            {
                (next, name) = (body, "unchanged"); // an earlier mutation left nothing this one can parse
            }

            body = next;
            what.Add(name);
        }

        return (body, string.Join(" + ", what));
    }

    private static (byte[], string) MutateOnce(Random random, byte[] body)
    {
        var text = Encoding.UTF8.GetString(body);
        switch (random.Next(14))
        {
            case 0:
                return (body, "unchanged");
            case 1:
            {
                // Replace the value of a random top-level key.
                var keys = TopLevelKeys(text);
                if (keys.Count == 0) goto case 2;
                var key = keys[random.Next(keys.Count)];
                return (Utf8(ReplaceValue(text, key, Values[random.Next(Values.Length)])), $"value of {key} replaced");
            }

            case 2:
            {
                var value = Values[random.Next(Values.Length)];
                return (Utf8(text.TrimEnd().TrimEnd('}') + (text.Trim() == "{}" ? "" : ",") + $"\"extra\":{value}}}"), "extra member " + Short(value));
            }

            case 3:
            {
                // A duplicate key: the later one wins in Python.
                var keys = TopLevelKeys(text);
                if (keys.Count == 0) goto case 2;
                var key = keys[random.Next(keys.Count)];
                var value = Values[random.Next(Values.Length)];
                return (Utf8(text.TrimEnd().TrimEnd('}') + $",\"{key}\":{value}}}"), $"duplicate {key}");
            }

            case 4:
            {
                // An invalid UTF-8 byte anywhere: in a key, a value, an ignored member, between tokens.
                var at = random.Next(body.Length + 1);
                var bad = new[] { (byte)0xFF, (byte)0xC3, (byte)0x80, (byte)0xED, (byte)0xF5, (byte)0xE2 }[random.Next(6)];
                return (Insert(body, at, new[] { bad }), $"byte 0x{bad:X2} at {at}");
            }

            case 5:
            {
                // A lone surrogate escape just after a quote: at the start of a key or a string value.
                var quotes = Enumerable.Range(0, text.Length).Where(i => text[i] == '"').ToList();
                if (quotes.Count == 0) goto case 4;
                var at = quotes[random.Next(quotes.Count)] + 1;
                var escape = new[] { "\\ud800", "\\udc00", "\\ud83d", "\\udfff" }[random.Next(4)];
                return (Utf8(text.Insert(at, escape)), $"{escape} at {at}");
            }

            case 6:
            {
                var length = random.Next(body.Length);
                return (body[..length], $"truncated to {length}");
            }

            case 7:
            {
                if (body.Length == 0) goto case 2;
                var copy = (byte[])body.Clone();
                var at = random.Next(copy.Length);
                copy[at] = (byte)random.Next(256);
                return (copy, $"byte {at} set to 0x{copy[at]:X2}");
            }

            case 8:
            {
                var wraps = new[] { "[{0}]", "{{\"body\":{0}}}", "{0}{0}", "{0} 1", " \n{0}\t ", "\uFEFF{0}" };
                var wrap = wraps[random.Next(wraps.Length)];
                return (Utf8(string.Format(wrap, text)), "wrapped " + Short(wrap));
            }

            case 9:
            {
                var depth = new[] { 10, 500, 999, 1001, 5000 }[random.Next(5)];
                var keys = TopLevelKeys(text);
                var nested = new string('[', depth) + new string(']', depth);
                return keys.Count == 0
                    ? (Utf8(nested), $"nested {depth}")
                    : (Utf8(ReplaceValue(text, keys[random.Next(keys.Count)], nested)), $"a value nested {depth}");
            }

            case 10:
            {
                var whole = new[] { "", "null", "[]", "1", "\"x\"", "{}", "{", "}", "{\"a\"}", "[1,]", "{\"a\":1,}", "nul", "\u00e9" }[random.Next(13)];
                return (Utf8(whole), "whole body " + Short(whole));
            }

            case 11:
            {
                // A key removed.
                var keys = TopLevelKeys(text);
                if (keys.Count == 0) goto case 2;
                var key = keys[random.Next(keys.Count)];
                return (Utf8(ReplaceValue(text, key, "null").Replace($"\"{key}\":null,", "").Replace($",\"{key}\":null", "")), $"{key} removed");
            }

            case 12:
            {
                // Inside the payload: a nested value replaced.
                var at = text.IndexOf("\"payload\":{", StringComparison.Ordinal);
                if (at < 0) goto case 1;
                var value = Values[random.Next(Values.Length)];
                return (Utf8(text.Insert(at + "\"payload\":{".Length, $"\"fuzz\":{value},")), "payload member " + Short(value));
            }

            default:
            {
                var keys = TopLevelKeys(text);
                if (keys.Count == 0) goto case 2;
                var key = keys[random.Next(keys.Count)];
                return (Utf8(text.Replace($"\"{key}\":", $"\"{key.ToUpperInvariant()}\":")), $"{key} upper-cased");
            }
        }
    }

    private static string OddId(Random random, string real) =>
        new[] { real, real + "x", "%2e", ".", "%ff%fe", "a%00b", new string('z', 2000), "%F0%9F%98%80", "..%2f", "id;x", real.ToUpperInvariant() }[random.Next(11)];

    // Top-level keys of a JSON object text (the fuzz inputs are compact objects written by this test).
    private static List<string> TopLevelKeys(string text)
    {
        var keys = new List<string>();
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != System.Text.Json.JsonValueKind.Object) return keys;
            foreach (var property in document.RootElement.EnumerateObject()) keys.Add(property.Name);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException)
        {
            // Already mutated beyond parsing.
        }

        return keys;
    }

    private static string ReplaceValue(string text, string key, string value)
    {
        using var document = System.Text.Json.JsonDocument.Parse(text);
        var sb = new StringBuilder("{");
        var first = true;
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (!first) sb.Append(',');
            first = false;
            sb.Append(System.Text.Json.JsonSerializer.Serialize(property.Name)).Append(':').Append(property.Name == key ? value : property.Value.GetRawText());
        }

        return sb.Append('}').ToString();
    }

    private static byte[] Insert(byte[] body, int at, byte[] bytes) => body[..at].Concat(bytes).Concat(body[at..]).ToArray();

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static string Short(string text) => text.Length > 24 ? text[..24] + "..." : text;

    private static string Tail(string text) => text.Length > 1500 ? text[^1500..] : text;

    private static string Excerpt(string text) => text.Length > 300 ? text[..300] + "..." : text;

    private static async Task<string> AddPolicyAsync(LocalServerProcess server)
    {
        using var http = new HttpClient { BaseAddress = server.Uri };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_local/policies")
        {
            Content = new StringContent("""{"name":"flag big","predicate_name":"spend_over_cap","params":{"cap":1},"action":"flag"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Admin-Token", InProcessServer.AdminToken);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    // Every stored row, in order. hits30d is left out: a blocking policy counts its hit on the 403 it causes, as upstream.
    private static string Snapshot(string db)
    {
        using var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        connection.Open();
        var sb = new StringBuilder();
        foreach (var (table, columns) in new[]
        {
            ("principal", "id, org, public_key, capabilities, created_at"),
            ("deliberation", "id, title, counterparty_slug, stage, status, created_at"),
            ("commitment", "id, type, principal_id, deliberation_id, payload, signature, status, envelope_id, envelope_timestamp, parent_id"),
            ("turn", "id, deliberation_id, speaker_id, content, turn_index, signature, envelope_id"),
            ("policy", "id, name, scope_kind, scope_ref, predicate_name, params, action, route_to, enabled, origin"),
        })
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {columns} FROM {table} ORDER BY seq";
            using var reader = command.ExecuteReader();
            sb.Append(table).Append(':');
            while (reader.Read())
            {
                for (var i = 0; i < reader.FieldCount; i++) sb.Append(reader.IsDBNull(i) ? "<null>" : reader.GetValue(i)).Append('|');
                sb.Append('\n');
            }
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    /// <summary>A body sent with chunked transfer encoding (no Content-Length), in pieces of <paramref name="piece"/> bytes.</summary>
    private sealed class ChunkedContent(byte[] body, int piece) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var offset = 0; offset < body.Length; offset += piece)
            {
                await stream.WriteAsync(body.AsMemory(offset, Math.Min(piece, body.Length - offset)));
                await stream.FlushAsync();
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
