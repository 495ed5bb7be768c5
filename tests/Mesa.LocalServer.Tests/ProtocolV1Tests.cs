using System.Text.Json;
using Mesa.Client;
using Mesa.LocalServer.Hosting;
using Mesa.LocalServer.Tests.Support;

namespace Mesa.LocalServer.Tests;

/// <summary>--protocol v1: six signed fields, no deliberation requirement, no deliberation routes.</summary>
public sealed class ProtocolV1Tests : IDisposable
{
    private readonly InProcessServer _server = new(new ServerOptions { DatabasePath = ":memory:", AdminToken = InProcessServer.AdminToken, Protocol = MesaProfile.V1 });

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task A_v1_envelope_without_deliberation_is_accepted()
    {
        var alice = await _server.RegisterAsync("offer");
        var envelope = MesaEnvelope.Create("offer", alice.Id, Payloads.Offer(), profile: MesaProfile.V1).Sign(alice.Keys);
        Assert.DoesNotContain("deliberation_id", envelope.ToWireJson());
        var response = await _server.PostEnvelopeAsync(envelope);
        response.ShouldSucceed(201);
        Assert.Equal("active", response.Json.GetProperty("status").GetString());
        var result = await _server.Client.SubmitCommitmentAsync(envelope);
        Assert.Equal(envelope.Id, result.EnvelopeId);
    }

    [Fact]
    public async Task A_deliberation_id_sent_to_a_v1_server_is_ignored_and_not_signed()
    {
        var alice = await _server.RegisterAsync("offer");
        var envelope = MesaEnvelope.Create("offer", alice.Id, Payloads.Offer(), profile: MesaProfile.V1).Sign(alice.Keys);
        var body = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(envelope.ToWireJson())!;
        body["deliberation_id"] = JsonDocument.Parse("\"whatever\"").RootElement;
        (await _server.SendAsync(HttpMethod.Post, "/commitments", JsonSerializer.Serialize(body))).ShouldSucceed(201);
    }

    [Fact]
    public async Task A_v2_signed_envelope_fails_with_401()
    {
        var alice = await _server.RegisterAsync("offer");
        var v2 = MesaEnvelope.Create("offer", alice.Id, Payloads.Offer(), "d1").Sign(alice.Keys);
        (await _server.PostEnvelopeAsync(v2)).ShouldFail(401, "invalid_signature");
        var v2NoDeliberation = MesaEnvelope.Create("offer", alice.Id, Payloads.Offer()).Sign(alice.Keys);
        (await _server.PostEnvelopeAsync(v2NoDeliberation)).ShouldFail(401, "invalid_signature");
    }

    [Theory]
    [InlineData("GET", "/deliberations")]
    [InlineData("POST", "/deliberations")]
    [InlineData("GET", "/deliberations/abc")]
    [InlineData("PATCH", "/deliberations/abc")]
    [InlineData("POST", "/deliberations/abc/turns")]
    public async Task Deliberation_routes_do_not_exist(string method, string path)
    {
        (await _server.SendAsync(new HttpMethod(method), path, method == "GET" ? null : "{}")).ShouldFailWithText(404, "Not Found");
    }

    [Fact]
    public async Task The_other_gates_and_the_policies_work_the_same()
    {
        var alice = await _server.RegisterAsync("offer");
        await _server.AddPolicyAsync(new { name = "cap", predicate_name = "spend_over_cap", @params = new { cap = 10 }, action = "block" });
        var blocked = MesaEnvelope.Create("offer", alice.Id, Payloads.Offer("s", Payloads.Terms(("fee_total_usd", 11))), profile: MesaProfile.V1).Sign(alice.Keys);
        (await _server.PostEnvelopeAsync(blocked)).ShouldFail(403, "policy_blocked");
        var denied = MesaEnvelope.Create("counter", alice.Id, Payloads.Offer(), profile: MesaProfile.V1).Sign(alice.Keys);
        (await _server.PostEnvelopeAsync(denied)).ShouldFail(403, "authority_denied");
        var invalid = MesaEnvelope.Create("offer", alice.Id, "{}", profile: MesaProfile.V1).Sign(alice.Keys);
        (await _server.PostEnvelopeAsync(invalid)).ShouldFail(422, "schema_invalid");
    }
}
