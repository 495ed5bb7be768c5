using System.Net.Http;
using System.Text;
using Mesa.Client.Tests.Support;

namespace Mesa.Client.Tests;

/// <summary>Each route of protocol section 4: what goes on the wire and how the answer is read.</summary>
public class ClientRouteTests
{
    private static readonly MesaKeypair Keys = MesaKeypair.FromPrivateKeyHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");

    private static async Task<(CannedServer Server, MesaClient Client)> Serve(int status, string body)
    {
        var server = await CannedServer.StartAsync(status, body);
        return (server, new MesaClient(new MesaClientOptions { BaseUri = server.BaseUri }));
    }

    [Fact]
    public async Task Health_is_a_GET_of_health_read_as_its_status()
    {
        var (server, client) = await Serve(200, "{\"status\":\"ok\"}");
        await using var _ = server;
        using var __ = client;

        var health = await client.GetHealthAsync();

        Assert.Equal("ok", health.Status);
        Assert.Equal(("GET", "/health", ""), (server.LastRequest.Method, server.LastRequest.PathAndQuery, server.LastRequest.Body));
    }

    [Fact]
    public async Task Create_principal_posts_org_and_key_and_reads_a_sqlite_timestamp_as_utc()
    {
        var (server, client) = await Serve(201, Json.Principal);
        await using var _ = server;
        using var __ = client;

        var principal = await client.CreatePrincipalAsync("acme", Keys.PublicKeyHex);

        var request = server.LastRequest;
        Assert.Equal(("POST", "/principals"), (request.Method, request.PathAndQuery));
        Assert.Equal($"{{\"org\":\"acme\",\"public_key\":\"{Keys.PublicKeyHex}\"}}", request.Body);
        Assert.StartsWith("application/json", request.Header("Content-Type"));
        Assert.Equal("0f8fad5bd9cb469fa16570867728950e", principal.Id);
        Assert.Equal("acme", principal.Org);
        Assert.Equal(Keys.PublicKeyHex, principal.PublicKey);
        Assert.Equal(["offer", "turn"], principal.Capabilities);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 11, 50, 16, TimeSpan.Zero), principal.CreatedAt);
        Assert.Equal(TimeSpan.Zero, principal.CreatedAt.Offset);
    }

    [Theory]
    [InlineData("2026-11-28T11:50:16.123456+02:00", "2026-11-28T09:50:16.1234560+00:00")]
    [InlineData("2026-11-28T11:50:16.5-05:30", "2026-11-28T17:20:16.5000000+00:00")]
    [InlineData("2026-11-28T11:50:16.123456Z", "2026-11-28T11:50:16.1234560+00:00")]
    [InlineData("2026-11-28T11:50:16", "2026-11-28T11:50:16.0000000+00:00")]
    [InlineData("2026-11-28 11:50:16.25", "2026-11-28T11:50:16.2500000+00:00")]
    public async Task Created_at_parses_both_database_shapes_as_utc(string wire, string expected)
    {
        var (server, client) = await Serve(200, Json.Principal.Replace("2026-11-28T11:50:16", wire, StringComparison.Ordinal));
        await using var _ = server;
        using var __ = client;

        var principal = await client.GetPrincipalAsync("0f8fad5bd9cb469fa16570867728950e");

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), principal.CreatedAt);
        Assert.Equal(TimeSpan.Zero, principal.CreatedAt.Offset);
        Assert.Equal("/principals/0f8fad5bd9cb469fa16570867728950e", server.LastRequest.PathAndQuery);
    }

    [Fact]
    public async Task List_principals()
    {
        var (server, client) = await Serve(200, $"[{Json.Principal},{Json.Principal.Replace("acme", "globex", StringComparison.Ordinal)}]");
        await using var _ = server;
        using var __ = client;

        var principals = await client.GetPrincipalsAsync();

        Assert.Equal(["acme", "globex"], principals.Select(p => p.Org));
        Assert.Equal(("GET", "/principals"), (server.LastRequest.Method, server.LastRequest.PathAndQuery));
    }

    [Fact]
    public async Task Ids_are_escaped_into_one_path_segment_and_blank_or_dot_ids_are_refused()
    {
        var (server, client) = await Serve(200, Json.Principal);
        await using var _ = server;
        using var __ = client;

        await client.GetPrincipalAsync("a b/c?d");

        Assert.Equal("/principals/a%20b%2Fc%3Fd", server.LastRequest.PathAndQuery);
        await Assert.ThrowsAsync<ArgumentException>(() => client.GetPrincipalAsync(" "));
        await Assert.ThrowsAsync<ArgumentException>(() => client.GetPrincipalAsync(".."));
        await Assert.ThrowsAsync<ArgumentException>(() => client.GetDeliberationAsync("."));
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Submit_commitment_posts_the_signed_wire_bytes_and_reads_the_decision()
    {
        const string result = "{\"id\":\"c1\",\"type\":\"offer\",\"principal_id\":\"p1\",\"status\":\"flagged\"," +
                              "\"decision\":{\"action\":\"route\",\"applied\":[" +
                              "{\"policy_id\":7,\"policy_name\":\"big spend\",\"action\":\"flag\",\"route_to\":null}," +
                              "{\"policy_id\":\"p-9\",\"policy_name\":\"legal\",\"action\":\"route\",\"route_to\":\"legal-team\"}]}}";
        var (server, client) = await Serve(201, result);
        await using var _ = server;
        using var __ = client;
        var envelope = MesaEnvelope.Create("offer", "p1",
            new Dictionary<string, object?> { ["summary"] = "s", ["terms"] = new Dictionary<string, object?> { ["fee_total_usd"] = 50000 } }, "d1").Sign(Keys);

        var commitment = await client.SubmitCommitmentAsync(envelope);

        Assert.Equal(("POST", "/commitments"), (server.LastRequest.Method, server.LastRequest.PathAndQuery));
        Assert.Equal(envelope.ToWireJson(), server.LastRequest.Body);
        Assert.Equal(envelope.Id, commitment.EnvelopeId);
        Assert.Equal("d1", commitment.DeliberationId); // the answer does not carry it: filled in from the envelope
        Assert.Equal(("c1", "offer", "p1", "flagged"), (commitment.Id, commitment.Type, commitment.PrincipalId, commitment.Status));
        Assert.Equal("route", commitment.Decision.Action);
        Assert.Equal(2, commitment.Decision.Applied.Count);
        Assert.Equal(new MesaAppliedPolicy { PolicyId = "7", PolicyName = "big spend", Action = "flag", RouteTo = null }, commitment.Decision.Applied[0]);
        Assert.Equal("legal-team", commitment.Decision.Applied[1].RouteTo);
    }

    [Fact]
    public async Task Unsigned_envelopes_are_refused_before_anything_is_sent()
    {
        var (server, client) = await Serve(201, "{}");
        await using var _ = server;
        using var __ = client;
        var unsigned = MesaEnvelope.Create("turn", "p1", new Dictionary<string, object?> { ["content"] = "hi" }, "d1");

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.SubmitCommitmentAsync(unsigned));
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.AddTurnAsync("d1", unsigned));
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Create_deliberation_sends_only_what_is_given()
    {
        var (server, client) = await Serve(201, Json.Deliberation);
        await using var _ = server;
        using var __ = client;

        var deliberation = await client.CreateDeliberationAsync("Data licence");
        await client.CreateDeliberationAsync("Data licence", "globex", "scope");

        Assert.Equal("{\"title\":\"Data licence\"}", server.Requests[0].Body);
        Assert.Equal("{\"counterparty_slug\":\"globex\",\"stage\":\"scope\",\"title\":\"Data licence\"}", server.Requests[1].Body);
        Assert.Equal(("d1", "Data licence", "globex", "offer", "open"),
            (deliberation.Id, deliberation.Title, deliberation.CounterpartySlug, deliberation.Stage, deliberation.Status));
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero), deliberation.CreatedAt);
    }

    [Fact]
    public async Task List_deliberations_with_and_without_a_status_filter()
    {
        var (server, client) = await Serve(200, $"[{Json.Deliberation}]");
        await using var _ = server;
        using var __ = client;

        Assert.Single(await client.GetDeliberationsAsync());
        await client.GetDeliberationsAsync("open");

        Assert.Equal(["/deliberations", "/deliberations?status=open"], server.Requests.Select(r => r.PathAndQuery));
    }

    [Fact]
    public async Task Get_deliberation_reads_turns_and_commitments()
    {
        var detail = Json.Deliberation.TrimEnd('}') +
                     ",\"turns\":[{\"id\":\"t0\",\"deliberation_id\":\"d1\",\"speaker_id\":\"p1\",\"content\":\"hello\",\"index\":0,\"created_at\":\"2026-11-28T12:00:01\"}]" +
                     ",\"commitments\":[{\"id\":\"c1\",\"type\":\"offer\",\"principal_id\":\"p1\",\"status\":\"active\"," +
                     "\"payload\":{\"summary\":\"s\",\"terms\":{\"fee_total_usd\":40000,\"rate\":0.5,\"scope\":[\"EU\"]}},\"created_at\":\"2026-11-28T12:00:02\"}]}";
        var (server, client) = await Serve(200, detail);
        await using var _ = server;
        using var __ = client;

        var deliberation = await client.GetDeliberationAsync("d1");

        Assert.Equal("/deliberations/d1", server.LastRequest.PathAndQuery);
        var turn = Assert.Single(deliberation.Turns);
        Assert.Equal(("t0", "d1", "p1", "hello", 0), (turn.Id, turn.DeliberationId, turn.SpeakerId, turn.Content, turn.Index));
        var commitment = Assert.Single(deliberation.Commitments);
        var payload = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(commitment.Payload);
        var terms = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(payload["terms"]);
        Assert.Equal(40000L, terms["fee_total_usd"]);
        Assert.Equal(0.5, terms["rate"]);
        Assert.Equal(["EU"], Assert.IsAssignableFrom<IEnumerable<object?>>(terms["scope"]));
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 12, 0, 2, TimeSpan.Zero), commitment.CreatedAt);
        Assert.Equal("d1", commitment.DeliberationId); // not in the server's entry: the detail's id
    }

    [Fact]
    public async Task Update_deliberation_patches_only_what_is_given()
    {
        var (server, client) = await Serve(200, Json.Deliberation);
        await using var _ = server;
        using var __ = client;

        await client.UpdateDeliberationAsync("d1", status: "closed");
        await client.UpdateDeliberationAsync("d1", stage: "signoff");

        Assert.All(server.Requests, r => Assert.Equal(("PATCH", "/deliberations/d1"), (r.Method, r.PathAndQuery)));
        Assert.Equal(["{\"status\":\"closed\"}", "{\"stage\":\"signoff\"}"], server.Requests.Select(r => r.Body));
    }

    [Fact]
    public async Task Add_turn_posts_the_signed_turn_to_the_deliberation()
    {
        var (server, client) = await Serve(201,
            "{\"id\":\"t3\",\"deliberation_id\":\"d1\",\"speaker_id\":\"p1\",\"content\":\"counter at 35k\",\"index\":3,\"created_at\":\"2026-11-28T12:00:03\"}");
        await using var _ = server;
        using var __ = client;
        var envelope = MesaEnvelope.Create("turn", "p1", new Dictionary<string, object?> { ["content"] = "counter at 35k" }, "d1").Sign(Keys);

        var turn = await client.AddTurnAsync("d1", envelope);

        Assert.Equal(("POST", "/deliberations/d1/turns"), (server.LastRequest.Method, server.LastRequest.PathAndQuery));
        Assert.Equal(envelope.ToWireBytes(), Encoding.UTF8.GetBytes(server.LastRequest.Body));
        Assert.Equal(3, turn.Index);
        Assert.Equal("counter at 35k", turn.Content);
    }

    [Fact]
    public async Task Send_raw_returns_the_json_body()
    {
        var (server, client) = await Serve(200, "{\"anything\":[1,2,3]}");
        await using var _ = server;
        using var __ = client;

        var json = await client.SendRawAsync(HttpMethod.Post, "/policies", "{\"x\":1}");

        Assert.Equal(3, json.GetProperty("anything").GetArrayLength());
        Assert.Equal(("POST", "/policies", "{\"x\":1}"), (server.LastRequest.Method, server.LastRequest.PathAndQuery, server.LastRequest.Body));
    }
}
