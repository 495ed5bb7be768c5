using System.Net;
using System.Net.Sockets;
using Mesa.Client;
using Mesa.LocalServer.Tests.Support;

namespace Mesa.LocalServer.Tests.EndToEnd;

/// <summary>Every Mesa.Client exception class, raised by the real server process (or its absence).</summary>
public sealed class ClientExceptionTests(QuickstartServerFixture fixture) : IClassFixture<QuickstartServerFixture>
{
    private readonly MesaClient _client = fixture.Server.CreateClient(QuickstartServerFixture.AdminToken);

    private async Task<(MesaPrincipal Principal, MesaKeypair Keys, string Deliberation)> SetupAsync(params string[] capabilities)
    {
        var keys = MesaKeypair.Generate();
        var principal = await _client.CreatePrincipalAsync("org", keys.PublicKeyHex);
        if (capabilities.Length > 0) await _client.SetCapabilitiesAsync(principal.Id, capabilities);
        return (principal, keys, (await _client.CreateDeliberationAsync("exceptions")).Id);
    }

    [Fact]
    public async Task Unauthorized_for_an_unknown_principal_and_a_bad_signature()
    {
        var (principal, _, d) = await SetupAsync("offer");
        var unknown = MesaEnvelope.Create("offer", "0123456789abcdef0123456789abcdef", new Dictionary<string, object?> { ["summary"] = "s", ["terms"] = new Dictionary<string, object?>() }, d).Sign(MesaKeypair.Generate());
        var ex = await Assert.ThrowsAsync<MesaUnauthorizedException>(() => _client.SubmitCommitmentAsync(unknown));
        Assert.Equal(401, ex.StatusCode);
        Assert.Equal("unknown_principal", ex.Code);
        Assert.Equal("Unauthorized", ex.ErrorClass);

        var forged = MesaEnvelope.Create("offer", principal.Id, new Dictionary<string, object?> { ["summary"] = "s", ["terms"] = new Dictionary<string, object?>() }, d).Sign(MesaKeypair.Generate());
        Assert.Equal("invalid_signature", (await Assert.ThrowsAsync<MesaUnauthorizedException>(() => _client.SubmitCommitmentAsync(forged))).Code);
    }

    [Fact]
    public async Task Forbidden_for_authority_denied_and_admin_forbidden()
    {
        var (principal, keys, d) = await SetupAsync("counter");
        var offer = MesaEnvelope.Create("offer", principal.Id, new Dictionary<string, object?> { ["summary"] = "s", ["terms"] = new Dictionary<string, object?>() }, d).Sign(keys);
        var ex = await Assert.ThrowsAsync<MesaForbiddenException>(() => _client.SubmitCommitmentAsync(offer));
        Assert.Equal(403, ex.StatusCode);
        Assert.Equal("authority_denied", ex.Code);
        Assert.Equal("offer", ex.GetDetailValue("type"));
        Assert.StartsWith("authority_denied: ", ex.Message);

        using var noToken = fixture.Server.CreateClient();
        var admin = await Assert.ThrowsAsync<MesaForbiddenException>(() => noToken.SetCapabilitiesAsync(principal.Id, new[] { "offer" }));
        Assert.Equal("admin_forbidden", admin.Code);
        Assert.DoesNotContain(QuickstartServerFixture.AdminToken, admin.Message + admin.Body);
    }

    [Fact]
    public async Task NotFound_for_an_unknown_principal_or_deliberation()
    {
        var ex = await Assert.ThrowsAsync<MesaNotFoundException>(() => _client.GetPrincipalAsync("0123456789abcdef0123456789abcdef"));
        Assert.Equal(404, ex.StatusCode);
        Assert.Equal("principal not found", ex.Detail);
        Assert.Equal("principal not found", ex.Message);
        var deliberation = await Assert.ThrowsAsync<MesaNotFoundException>(() => _client.GetDeliberationAsync("nope"));
        Assert.Equal("not_found", deliberation.Code);
    }

    [Fact]
    public async Task Conflict_for_a_key_registered_twice()
    {
        var key = MesaKeypair.Generate().PublicKeyHex;
        await _client.CreatePrincipalAsync("first", key);
        var ex = await Assert.ThrowsAsync<MesaConflictException>(() => _client.CreatePrincipalAsync("second", key.ToUpperInvariant()));
        Assert.Equal(409, ex.StatusCode);
        Assert.Equal("public_key already registered", ex.Message);
        Assert.Equal("Conflict", ex.ErrorClass);
    }

    [Fact]
    public async Task BadRequest_for_422_schema_invalid_and_a_validation_list()
    {
        var (principal, keys, d) = await SetupAsync("offer");
        var invalid = MesaEnvelope.Create("offer", principal.Id, new Dictionary<string, object?> { ["summary"] = "" , ["terms"] = new Dictionary<string, object?>() }, d).Sign(keys);
        var schema = await Assert.ThrowsAsync<MesaBadRequestException>(() => _client.SubmitCommitmentAsync(invalid));
        Assert.Equal(422, schema.StatusCode);
        Assert.Equal("schema_invalid", schema.Code);

        var validation = await Assert.ThrowsAsync<MesaBadRequestException>(() => _client.CreatePrincipalAsync("org", "not-a-key"));
        Assert.Equal(422, validation.StatusCode);
        Assert.Null(validation.Code);
        var problems = Assert.IsAssignableFrom<IReadOnlyList<object?>>(validation.Detail);
        var first = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(problems[0]);
        Assert.Equal("string_too_short", first["type"]);
        Assert.Equal("body.public_key: String should have at least 64 characters", validation.Message);

        var status = await Assert.ThrowsAsync<MesaBadRequestException>(() => _client.GetDeliberationsAsync("archived"));
        Assert.Equal("invalid_status", status.Code);

        var notAllowed = await Assert.ThrowsAsync<MesaBadRequestException>(() => _client.SendRawAsync(HttpMethod.Delete, "health"));
        Assert.Equal(405, notAllowed.StatusCode);
        Assert.Equal("Method Not Allowed", notAllowed.Message);
    }

    [Fact]
    public async Task A_base_MesaException_for_a_connection_failure()
    {
        // A port that was free a moment ago: nothing listens there.
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        using var client = new MesaClient(new MesaClientOptions { BaseUri = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) });
        var ex = await Assert.ThrowsAsync<MesaException>(() => client.GetHealthAsync());
        Assert.Equal(typeof(MesaException), ex.GetType());
        Assert.Null(ex.StatusCode);
        Assert.Equal("ConnectionFailed", ex.ErrorClass);
    }
}
