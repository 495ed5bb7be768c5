using System.Text.Json;
using Mesa.Client;
using Mesa.LocalServer.Tests.Support;

namespace Mesa.LocalServer.Tests;

/// <summary>POST /deliberations/{id}/turns: success, each gate's failure, and their order.</summary>
public sealed class TurnGateTests : IDisposable
{
    private readonly InProcessServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Turns_need_no_capability_and_get_consecutive_indexes()
    {
        var alice = await _server.RegisterAsync();
        var bob = await _server.RegisterAsync();
        var d = await _server.OpenDeliberationAsync();
        var first = await _server.PostTurnAsync(d, _server.Sign(alice, "turn", Payloads.Turn("hello"), d));
        first.ShouldSucceed(201);
        var t = first.Json;
        Assert.Equal(new[] { "id", "deliberation_id", "speaker_id", "content", "index", "created_at" }, t.EnumerateObject().Select(m => m.Name));
        Assert.Equal(0, t.GetProperty("index").GetInt64());
        Assert.Equal(d, t.GetProperty("deliberation_id").GetString());
        Assert.Equal(alice.Id, t.GetProperty("speaker_id").GetString());
        Assert.Equal("hello", t.GetProperty("content").GetString());

        var second = await _server.Client.AddTurnAsync(d, _server.Sign(bob, "turn", Payloads.Turn("hi"), d));
        Assert.Equal(1, second.Index);
        Assert.Equal(bob.Id, second.SpeakerId);
    }

    [Fact]
    public async Task Indexes_count_per_deliberation()
    {
        var alice = await _server.RegisterAsync();
        var a = await _server.OpenDeliberationAsync();
        var b = await _server.OpenDeliberationAsync();
        await _server.Client.AddTurnAsync(a, _server.Sign(alice, "turn", Payloads.Turn("1"), a));
        await _server.Client.AddTurnAsync(a, _server.Sign(alice, "turn", Payloads.Turn("2"), a));
        Assert.Equal(0, (await _server.Client.AddTurnAsync(b, _server.Sign(alice, "turn", Payloads.Turn("1"), b))).Index);
    }

    [Fact]
    public async Task A_turn_may_omit_the_deliberation_id_which_is_then_signed_as_null()
    {
        var alice = await _server.RegisterAsync();
        var d = await _server.OpenDeliberationAsync();
        var envelope = _server.Sign(alice, "turn", Payloads.Turn("no id"), null);
        Assert.Contains("\"deliberation_id\":null", envelope.ToWireJson());
        (await _server.PostTurnAsync(d, envelope)).ShouldSucceed(201);

        var body = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(envelope.ToWireJson())!;
        body.Remove("deliberation_id");
        (await _server.SendAsync(HttpMethod.Post, $"/deliberations/{d}/turns", JsonSerializer.Serialize(body))).ShouldSucceed(201);
    }

    [Fact]
    public async Task Another_type_is_422_wrong_envelope_type()
    {
        var alice = await _server.RegisterAsync("offer");
        var d = await _server.OpenDeliberationAsync();
        var response = await _server.PostTurnAsync(d, _server.Sign(alice, "offer", Payloads.Offer(), d));
        response.ShouldFail(422, "wrong_envelope_type");
        Assert.Equal("envelope type must be 'turn'", response.Detail.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("""{"content":""}""")]
    [InlineData("""{}""")]
    [InlineData("""{"content":"hi","mood":"happy"}""")]
    [InlineData("""{"content":5}""")]
    public async Task An_invalid_turn_payload_is_422_schema_invalid(string payload)
    {
        var alice = await _server.RegisterAsync();
        var d = await _server.OpenDeliberationAsync();
        var response = await _server.PostTurnAsync(d, MesaEnvelope.Create("turn", alice.Id, payload, d).Sign(alice.Keys));
        response.ShouldFail(422, "schema_invalid");
    }

    [Fact]
    public async Task Content_may_be_8192_characters_but_not_more()
    {
        var alice = await _server.RegisterAsync();
        var d = await _server.OpenDeliberationAsync();
        (await _server.PostTurnAsync(d, _server.Sign(alice, "turn", Payloads.Turn(new string('x', 8192)), d))).ShouldSucceed(201);
        (await _server.PostTurnAsync(d, _server.Sign(alice, "turn", Payloads.Turn(new string('x', 8193)), d))).ShouldFail(422, "schema_invalid");
    }

    [Fact]
    public async Task An_unknown_deliberation_is_404_not_found()
    {
        var alice = await _server.RegisterAsync();
        var response = await _server.PostTurnAsync("nope", _server.Sign(alice, "turn", Payloads.Turn("x"), null));
        response.ShouldFail(404, "not_found");
    }

    [Fact]
    public async Task A_different_deliberation_id_in_the_envelope_is_422_deliberation_mismatch()
    {
        var alice = await _server.RegisterAsync();
        var a = await _server.OpenDeliberationAsync();
        var b = await _server.OpenDeliberationAsync();
        (await _server.PostTurnAsync(a, _server.Sign(alice, "turn", Payloads.Turn("x"), b))).ShouldFail(422, "deliberation_mismatch");
    }

    [Fact]
    public async Task A_closed_deliberation_is_403_deliberation_closed()
    {
        var alice = await _server.RegisterAsync();
        var d = await _server.OpenDeliberationAsync();
        await _server.Client.UpdateDeliberationAsync(d, status: "closed");
        (await _server.PostTurnAsync(d, _server.Sign(alice, "turn", Payloads.Turn("x"), d))).ShouldFail(403, "deliberation_closed");
    }

    [Fact]
    public async Task The_envelope_gates_apply_as_for_commitments()
    {
        var alice = await _server.RegisterAsync();
        var d = await _server.OpenDeliberationAsync();
        var stranger = new Principal("nobody", MesaKeypair.Generate());
        (await _server.PostTurnAsync(d, _server.Sign(stranger, "turn", Payloads.Turn("x"), d))).ShouldFail(401, "unknown_principal");
        (await _server.PostTurnAsync(d, MesaEnvelope.Create("turn", alice.Id, Payloads.Turn("x"), d).Sign(MesaKeypair.Generate()))).ShouldFail(401, "invalid_signature");
        var wire = _server.Sign(alice, "turn", Payloads.Turn("PLACEHOLDER"), d).ToWireJson().Replace("\"PLACEHOLDER\"", "\"\\ud83d\"");
        (await _server.SendAsync(HttpMethod.Post, $"/deliberations/{d}/turns", wire)).ShouldFail(422, "malformed_envelope");
        (await _server.SendAsync(HttpMethod.Post, $"/deliberations/{d}/turns", """{"type":"turn"}""")).ShouldHaveProblem("missing", "body", "signature");
    }

    [Fact]
    public async Task Gate_order_type_then_schema_then_deliberation_then_mismatch_then_closed()
    {
        var alice = await _server.RegisterAsync();
        var closed = await _server.OpenDeliberationAsync();
        var other = await _server.OpenDeliberationAsync();
        await _server.Client.UpdateDeliberationAsync(closed, status: "closed");
        // wrong type wins over an invalid payload and an unknown deliberation
        (await _server.PostTurnAsync("nope", MesaEnvelope.Create("offer", alice.Id, "{}", null).Sign(alice.Keys))).ShouldFail(422, "wrong_envelope_type");
        // the schema wins over an unknown deliberation
        (await _server.PostTurnAsync("nope", MesaEnvelope.Create("turn", alice.Id, "{}", null).Sign(alice.Keys))).ShouldFail(422, "schema_invalid");
        // an unknown deliberation wins over a mismatch
        (await _server.PostTurnAsync("nope", _server.Sign(alice, "turn", Payloads.Turn("x"), other))).ShouldFail(404, "not_found");
        // a mismatch wins over a closed deliberation
        (await _server.PostTurnAsync(closed, _server.Sign(alice, "turn", Payloads.Turn("x"), other))).ShouldFail(422, "deliberation_mismatch");
        // the signature comes before the type
        (await _server.PostTurnAsync(closed, MesaEnvelope.Create("offer", alice.Id, "{}", closed).Sign(MesaKeypair.Generate()))).ShouldFail(401, "invalid_signature");
    }
}
