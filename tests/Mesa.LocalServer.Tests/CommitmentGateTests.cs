using System.Text.Json;
using Mesa.Client;
using Mesa.LocalServer.Tests.Support;

namespace Mesa.LocalServer.Tests;

/// <summary>POST /commitments: success, every gate's failure, and the order of the gates (contract section 7).</summary>
public sealed class CommitmentGateTests : IDisposable
{
    private const string Placeholder = "PLACEHOLDER";
    private readonly InProcessServer _server = new();

    public void Dispose() => _server.Dispose();

    private static string AnySignature => new('a', 128);

    [Fact]
    public async Task A_valid_commitment_is_201_active_allow()
    {
        var alice = await _server.RegisterAsync("offer");
        var d = await _server.OpenDeliberationAsync();
        var response = await _server.PostEnvelopeAsync(_server.Sign(alice, "offer", Payloads.Offer(), d));
        response.ShouldSucceed(201);
        var c = response.Json;
        Assert.Equal(new[] { "id", "type", "principal_id", "status", "decision" }, c.EnumerateObject().Select(m => m.Name));
        Assert.Matches("^[0-9a-f]{32}$", c.GetProperty("id").GetString());
        Assert.Equal("offer", c.GetProperty("type").GetString());
        Assert.Equal(alice.Id, c.GetProperty("principal_id").GetString());
        Assert.Equal("active", c.GetProperty("status").GetString());
        Assert.Equal("""{"action":"allow","applied":[]}""", c.GetProperty("decision").GetRawText());
    }

    // ---- gate 1: request validation ----

    [Fact]
    public async Task A_missing_or_null_deliberation_id_is_a_validation_problem_in_v2()
    {
        var alice = await _server.RegisterAsync("offer");
        var unsigned = MesaEnvelope.Create("offer", alice.Id, Payloads.Offer()).Sign(alice.Keys);
        var missing = await _server.PostEnvelopeAsync(unsigned);
        var problem = missing.ShouldHaveProblem("string_type", "body", "deliberation_id");
        Assert.Equal(JsonValueKind.Null, problem.GetProperty("input").ValueKind);

        var without = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(unsigned.ToWireJson())!;
        without.Remove("deliberation_id");
        (await _server.SendAsync(HttpMethod.Post, "/commitments", JsonSerializer.Serialize(without))).ShouldHaveProblem("missing", "body", "deliberation_id");

        without["deliberation_id"] = JsonDocument.Parse("\"\"").RootElement;
        (await _server.SendAsync(HttpMethod.Post, "/commitments", JsonSerializer.Serialize(without))).ShouldHaveProblem("string_too_short", "body", "deliberation_id");
    }

    [Fact]
    public async Task Field_types_and_the_signature_shape_are_validated_first()
    {
        var body = """{"id":"","parent_id":5,"timestamp":"t","type":"offer","emitted_by":7,"deliberation_id":"d","payload":[],"signature":"xyz"}""";
        var response = await _server.SendAsync(HttpMethod.Post, "/commitments", body);
        var items = response.ShouldBeValidationList();
        Assert.Equal(
            new[] { "id", "parent_id", "emitted_by", "payload", "signature" },
            items.Select(i => i.GetProperty("loc")[1].GetString()));
        response.ShouldHaveProblem("string_too_short", "body", "id");
        response.ShouldHaveProblem("string_type", "body", "parent_id");
        response.ShouldHaveProblem("string_type", "body", "emitted_by");
        response.ShouldHaveProblem("dict_type", "body", "payload");
        var signature = response.ShouldHaveProblem("string_too_short", "body", "signature");
        Assert.Equal("String should have at least 128 characters", signature.GetProperty("msg").GetString());

        var notHex = body.Replace("\"xyz\"", "\"" + new string('g', 128) + "\"").Replace("\"id\":\"\"", "\"id\":\"x\"").Replace(":5,", ":null,").Replace(":7,", ":\"p\",").Replace("[]", "{}");
        var hex = (await _server.SendAsync(HttpMethod.Post, "/commitments", notHex)).ShouldHaveProblem("value_error", "body", "signature");
        Assert.Equal("Value error, signature must be hex-encoded", hex.GetProperty("msg").GetString());
    }

    // ---- gate 2: unknown principal ----

    [Fact]
    public async Task An_unknown_emitter_is_401_unknown_principal()
    {
        var stranger = new Principal("0123456789abcdef0123456789abcdef", MesaKeypair.Generate());
        var response = await _server.PostEnvelopeAsync(_server.Sign(stranger, "offer", Payloads.Offer(), "d"));
        response.ShouldFail(401, "unknown_principal");
    }

    // ---- gate 3: canonical bytes ----

    [Theory]
    [InlineData("\"\\ud800\"")]
    [InlineData("\"a\\udfffb\"")]
    [InlineData("NaN")]
    [InlineData("-Infinity")]
    [InlineData("Infinity")]
    [InlineData("1e400")]
    public async Task A_payload_canonical_json_refuses_is_422_malformed_envelope(string value)
    {
        var alice = await _server.RegisterAsync("offer");
        var d = await _server.OpenDeliberationAsync();
        var wire = _server.Sign(alice, "offer", Payloads.Offer(Placeholder), d).ToWireJson().Replace($"\"{Placeholder}\"", value);
        var response = await _server.SendAsync(HttpMethod.Post, "/commitments", wire);
        response.ShouldFail(422, "malformed_envelope");
    }

    [Fact]
    public async Task A_lone_surrogate_in_a_payload_key_is_malformed_too()
    {
        var alice = await _server.RegisterAsync("offer");
        var d = await _server.OpenDeliberationAsync();
        var wire = _server.Sign(alice, "offer", Payloads.Offer("s", Payloads.Terms((Placeholder, 1))), d).ToWireJson().Replace($"\"{Placeholder}\"", "\"\\udc00\"");
        (await _server.SendAsync(HttpMethod.Post, "/commitments", wire)).ShouldFail(422, "malformed_envelope");
    }

    [Fact]
    public async Task A_lone_surrogate_in_an_envelope_string_field_is_a_string_unicode_problem()
    {
        var alice = await _server.RegisterAsync("offer");
        var d = await _server.OpenDeliberationAsync();
        var envelope = MesaEnvelope.Create("offer", alice.Id, Payloads.Offer(), d, id: Placeholder).Sign(alice.Keys);
        var wire = envelope.ToWireJson().Replace($"\"{Placeholder}\"", "\"evt_\\ud800\"");
        (await _server.SendAsync(HttpMethod.Post, "/commitments", wire)).ShouldHaveProblem("string_unicode", "body", "id");
    }

    // ---- gate 4: signature ----

    [Fact]
    public async Task A_signature_by_another_key_is_401_invalid_signature()
    {
        var alice = await _server.RegisterAsync("offer");
        var d = await _server.OpenDeliberationAsync();
        var forged = MesaEnvelope.Create("offer", alice.Id, Payloads.Offer(), d).Sign(MesaKeypair.Generate());
        (await _server.PostEnvelopeAsync(forged)).ShouldFail(401, "invalid_signature");
    }

    [Fact]
    public async Task A_changed_signed_field_is_401_invalid_signature()
    {
        var alice = await _server.RegisterAsync("offer");
        var d = await _server.OpenDeliberationAsync();
        var wire = _server.Sign(alice, "offer", Payloads.Offer("original"), d).ToWireJson();
        (await _server.SendAsync(HttpMethod.Post, "/commitments", wire.Replace("original", "changed!"))).ShouldFail(401, "invalid_signature");
        var withParent = wire.Replace("\"parent_id\":null", "\"parent_id\":\"evt_other\"");
        (await _server.SendAsync(HttpMethod.Post, "/commitments", withParent)).ShouldFail(401, "invalid_signature");
    }

    [Fact]
    public async Task Number_kinds_are_signed_as_sent()
    {
        var alice = await _server.RegisterAsync("offer");
        var d = await _server.OpenDeliberationAsync();
        var envelope = _server.Sign(alice, "offer", Payloads.Offer("s", Payloads.Terms(("months", 12.0), ("big", System.Numerics.BigInteger.Parse("123456789012345678901234567890")))), d);
        var wire = envelope.ToWireJson();
        Assert.Contains("\"months\":12.0", wire);
        (await _server.SendAsync(HttpMethod.Post, "/commitments", wire)).ShouldSucceed(201);
        // 12 is an integer, 12.0 a float: different canonical bytes.
        (await _server.SendAsync(HttpMethod.Post, "/commitments", wire.Replace("\"months\":12.0", "\"months\":12"))).ShouldFail(401, "invalid_signature");
        // 1.2e1 is the same float as 12.0, so the canonical bytes (and the signature) are the same.
        (await _server.SendAsync(HttpMethod.Post, "/commitments", wire.Replace("\"months\":12.0", "\"months\":1.2e1"))).ShouldSucceed(201);
    }

    [Fact]
    public async Task A_v1_signed_envelope_fails_on_a_v2_server()
    {
        var alice = await _server.RegisterAsync("offer");
        var d = await _server.OpenDeliberationAsync();
        var v1 = MesaEnvelope.Create("offer", alice.Id, Payloads.Offer(), profile: MesaProfile.V1).Sign(alice.Keys);
        var body = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(v1.ToWireJson())!;
        body["deliberation_id"] = JsonDocument.Parse($"\"{d}\"").RootElement;
        (await _server.SendAsync(HttpMethod.Post, "/commitments", JsonSerializer.Serialize(body))).ShouldFail(401, "invalid_signature");
    }

    [Fact]
    public async Task The_signature_is_case_insensitive_and_unsigned_fields_are_ignored()
    {
        var alice = await _server.RegisterAsync("offer");
        var d = await _server.OpenDeliberationAsync();
        var envelope = _server.Sign(alice, "offer", Payloads.Offer("€ 😀 \u2028 / \"q\""), d);
        var upper = envelope.ToWireJson().Replace(envelope.Signature!, envelope.Signature!.ToUpperInvariant());
        (await _server.SendAsync(HttpMethod.Post, "/commitments", upper)).ShouldSucceed(201);
        var extra = envelope.ToWireJson().TrimEnd('}') + ",\"note\":\"not signed\",\"x\":[1,2]}";
        (await _server.SendAsync(HttpMethod.Post, "/commitments", extra)).ShouldSucceed(201);
        var pretty = JsonSerializer.Serialize(JsonDocument.Parse(envelope.ToWireJson()).RootElement, new JsonSerializerOptions { WriteIndented = true });
        (await _server.SendAsync(HttpMethod.Post, "/commitments", pretty)).ShouldSucceed(201);
    }

    [Fact]
    public async Task The_same_envelope_posted_twice_is_stored_twice()
    {
        var alice = await _server.RegisterAsync("offer");
        var d = await _server.OpenDeliberationAsync();
        var envelope = _server.Sign(alice, "offer", Payloads.Offer(), d);
        var first = await _server.PostEnvelopeAsync(envelope);
        var second = await _server.PostEnvelopeAsync(envelope);
        Assert.NotEqual(first.Json.GetProperty("id").GetString(), second.Json.GetProperty("id").GetString());
        Assert.Equal(2, (await _server.Client.GetDeliberationAsync(d)).Commitments.Count);
    }

    // ---- gate 5: authority ----

    [Fact]
    public async Task A_type_outside_the_capabilities_is_403_authority_denied_with_the_type()
    {
        var alice = await _server.RegisterAsync("counter");
        var d = await _server.OpenDeliberationAsync();
        var response = await _server.PostEnvelopeAsync(_server.Sign(alice, "offer", Payloads.Offer(), d));
        response.ShouldFail(403, "authority_denied");
        Assert.Equal("offer", response.Detail.GetProperty("type").GetString());
        Assert.Contains(alice.Id, response.Detail.GetProperty("message").GetString());
    }

    [Fact]
    public async Task An_unknown_type_is_403_too_because_authority_runs_first()
    {
        var alice = await _server.RegisterAsync("offer");
        var d = await _server.OpenDeliberationAsync();
        var response = await _server.PostEnvelopeAsync(_server.Sign(alice, "no_such_type", new Dictionary<string, object?>(), d));
        response.ShouldFail(403, "authority_denied");
        Assert.Equal("no_such_type", response.Detail.GetProperty("type").GetString());
    }

    // ---- gate 6: schema ----

    [Fact]
    public async Task A_payload_invalid_for_its_type_is_422_schema_invalid_naming_the_problem()
    {
        var alice = await _server.RegisterAsync("offer");
        var d = await _server.OpenDeliberationAsync();
        var response = await _server.PostEnvelopeAsync(_server.Sign(alice, "offer", new Dictionary<string, object?> { ["summary"] = "s" }, d));
        response.ShouldFail(422, "schema_invalid");
        Assert.Equal("payload: 'terms' is a required property", response.Detail.GetProperty("message").GetString());
    }

    // ---- gate 7: deliberation ----

    [Fact]
    public async Task An_unknown_deliberation_is_422_unknown_deliberation()
    {
        var alice = await _server.RegisterAsync("offer");
        var response = await _server.PostEnvelopeAsync(_server.Sign(alice, "offer", Payloads.Offer(), "does-not-exist"));
        response.ShouldFail(422, "unknown_deliberation");
        Assert.Contains("'does-not-exist'", response.Detail.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_closed_deliberation_is_403_deliberation_closed()
    {
        var alice = await _server.RegisterAsync("offer");
        var d = await _server.OpenDeliberationAsync();
        await _server.Client.UpdateDeliberationAsync(d, status: "closed");
        var response = await _server.PostEnvelopeAsync(_server.Sign(alice, "offer", Payloads.Offer(), d));
        response.ShouldFail(403, "deliberation_closed");
        Assert.Equal("deliberation status is 'closed'", response.Detail.GetProperty("message").GetString());
    }

    // ---- gate order ----

    [Fact]
    public async Task Validation_comes_before_the_principal_lookup()
    {
        var stranger = new Principal("nobody", MesaKeypair.Generate());
        var wire = _server.Sign(stranger, "offer", Payloads.Offer(), "d").ToWireJson().Replace("\"payload\":{", "\"payload\":[{").Replace("},\"signature\"", "}],\"signature\"");
        (await _server.SendAsync(HttpMethod.Post, "/commitments", wire)).ShouldHaveProblem("dict_type", "body", "payload");
    }

    [Fact]
    public async Task The_principal_lookup_comes_before_canonical_bytes()
    {
        var stranger = new Principal("nobody", MesaKeypair.Generate());
        var wire = _server.Sign(stranger, "offer", Payloads.Offer(Placeholder), "d").ToWireJson().Replace($"\"{Placeholder}\"", "NaN");
        (await _server.SendAsync(HttpMethod.Post, "/commitments", wire)).ShouldFail(401, "unknown_principal");
    }

    [Fact]
    public async Task Canonical_bytes_come_before_the_signature()
    {
        var alice = await _server.RegisterAsync("offer");
        var wire = MesaEnvelope.Create("offer", alice.Id, Payloads.Offer(Placeholder), "d").Sign(MesaKeypair.Generate()).ToWireJson().Replace($"\"{Placeholder}\"", "\"\\ud800\"");
        (await _server.SendAsync(HttpMethod.Post, "/commitments", wire)).ShouldFail(422, "malformed_envelope");
    }

    [Fact]
    public async Task The_signature_comes_before_authority()
    {
        var alice = await _server.RegisterAsync();
        var forged = MesaEnvelope.Create("offer", alice.Id, Payloads.Offer(), "d").Sign(MesaKeypair.Generate());
        (await _server.PostEnvelopeAsync(forged)).ShouldFail(401, "invalid_signature");
    }

    [Fact]
    public async Task Authority_comes_before_the_schema()
    {
        var alice = await _server.RegisterAsync("counter");
        var response = await _server.PostEnvelopeAsync(_server.Sign(alice, "offer", new Dictionary<string, object?> { ["nonsense"] = true }, "no-deliberation"));
        response.ShouldFail(403, "authority_denied");
    }

    [Fact]
    public async Task The_schema_comes_before_the_deliberation()
    {
        var alice = await _server.RegisterAsync("offer");
        var response = await _server.PostEnvelopeAsync(_server.Sign(alice, "offer", new Dictionary<string, object?> { ["summary"] = "" }, "no-deliberation"));
        response.ShouldFail(422, "schema_invalid");
    }

    [Fact]
    public async Task The_deliberation_comes_before_the_policies()
    {
        var alice = await _server.RegisterAsync("offer");
        var d = await _server.OpenDeliberationAsync();
        var block = await _server.AddPolicyAsync(new { name = "block all over 0", predicate_name = "spend_over_cap", @params = new { cap = 0 }, action = "block" });
        await _server.Client.UpdateDeliberationAsync(d, status: "closed");
        var payload = Payloads.Offer("s", Payloads.Terms(("fee_total_usd", 10)));
        (await _server.PostEnvelopeAsync(_server.Sign(alice, "offer", payload, d))).ShouldFail(403, "deliberation_closed");
        (await _server.PostEnvelopeAsync(_server.Sign(alice, "offer", payload, "unknown"))).ShouldFail(422, "unknown_deliberation");
        Assert.Equal(0, await _server.HitsAsync(block));
    }
}
