using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mesa.Client.Tests;

public class EnvelopeTests
{
    private const string Principal = "11fcd05e5fb1496da15eb51e6dad67fe";
    private const string Deliberation = "9054c21921ac41d89c815dc85122d719";
    private static readonly MesaKeypair Keys = MesaKeypair.FromPrivateKeyHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");

    private static Dictionary<string, object?> Offer() => new()
    {
        ["summary"] = "license $40k/yr",
        ["terms"] = new Dictionary<string, object?> { ["fee_total_usd"] = 40000, ["term_months"] = 12 },
    };

    [Fact]
    public void Defaults_are_an_evt_id_and_a_utc_microsecond_timestamp()
    {
        var before = DateTime.UtcNow;
        var envelope = MesaEnvelope.Create("offer", Principal, Offer(), Deliberation);
        var after = DateTime.UtcNow;

        Assert.Matches("^evt_[0-9a-f]{32}$", envelope.Id);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$", envelope.Timestamp);
        var stamp = DateTime.ParseExact(envelope.Timestamp, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
        Assert.InRange(stamp, before.AddTicks(-(before.Ticks % 10)), after);
        Assert.Equal(MesaProfile.V2, envelope.Profile);
        Assert.Null(envelope.ParentId);
        Assert.False(envelope.IsSigned);
    }

    [Fact]
    public void Default_ids_are_unique()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => MesaEnvelope.NewId()).ToHashSet();
        Assert.Equal(1000, ids.Count);
        Assert.All(ids, id => Assert.Matches("^evt_[0-9a-f]{32}$", id));
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$", MesaEnvelope.NewTimestamp());
    }

    [Fact]
    public void Default_ids_are_version_4_uuids_like_the_reference_sdk_and_unique_across_threads()
    {
        var ids = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < 2000; i++) ids.Add(MesaEnvelope.NewId());
        });

        Assert.Equal(16000, ids.Distinct().Count());
        Assert.All(ids, id =>
        {
            var uuid = Guid.ParseExact(id[4..], "N");
            Assert.Equal(4, uuid.Version);
            Assert.Contains(id[4 + 16], "89ab");
        });
    }

    [FsCheck.Xunit.Property(MaxTest = 500)]
    public void Timestamps_match_the_reference_layout_for_any_instant(long ticks)
    {
        var utc = new DateTime((long)((ulong)ticks % (ulong)DateTime.MaxValue.Ticks), DateTimeKind.Utc);
        var expected = utc.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

        Assert.Equal($"\"{expected}\"", CanonicalJson.ToCanonicalString(utc));
        Assert.Equal($"\"{expected}\"", CanonicalJson.ToCanonicalString(new DateTimeOffset(utc)));
    }

    [Fact]
    public void V2_always_signs_deliberation_id_and_v1_never_has_it()
    {
        var v2 = MesaEnvelope.Create("turn", Principal, new Dictionary<string, object?> { ["content"] = "hi" }, id: "evt_1", timestamp: "t");
        var v1 = MesaEnvelope.Create("turn", Principal, new Dictionary<string, object?> { ["content"] = "hi" }, id: "evt_1", timestamp: "t", profile: MesaProfile.V1);

        Assert.Equal(
            "{\"deliberation_id\":null,\"emitted_by\":\"11fcd05e5fb1496da15eb51e6dad67fe\",\"id\":\"evt_1\",\"parent_id\":null,\"payload\":{\"content\":\"hi\"},\"timestamp\":\"t\",\"type\":\"turn\"}",
            Encoding.UTF8.GetString(v2.GetCanonicalBytes()));
        Assert.Equal(
            "{\"emitted_by\":\"11fcd05e5fb1496da15eb51e6dad67fe\",\"id\":\"evt_1\",\"parent_id\":null,\"payload\":{\"content\":\"hi\"},\"timestamp\":\"t\",\"type\":\"turn\"}",
            Encoding.UTF8.GetString(v1.GetCanonicalBytes()));
    }

    [Fact]
    public void V1_refuses_a_deliberation_id()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            MesaEnvelope.Create("offer", Principal, Offer(), Deliberation, profile: MesaProfile.V1));

        Assert.Equal("deliberationId", ex.ParamName);
        Assert.Contains("v1 profile has no deliberation_id", ex.Message);
        Assert.Contains("v2", ex.Message);
    }

    [Fact]
    public void An_unknown_profile_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MesaEnvelope.Create("offer", Principal, Offer(), profile: (MesaProfile)3));
    }

    [Theory]
    [InlineData("", Principal, "type")]
    [InlineData(null, Principal, "type")]
    [InlineData("offer", "", "emitted_by")]
    [InlineData("offer", null, "emitted_by")]
    public void Blank_required_fields_are_refused_by_name(string? type, string? emittedBy, string field)
    {
        var ex = Assert.Throws<ArgumentException>(() => MesaEnvelope.Create(type!, emittedBy!, Offer()));
        Assert.Contains($"'{field}' must be a non-empty string", ex.Message);
    }

    [Fact]
    public void An_unsigned_envelope_cannot_be_put_on_the_wire()
    {
        var envelope = MesaEnvelope.Create("offer", Principal, Offer(), Deliberation);

        var ex = Assert.Throws<InvalidOperationException>(() => envelope.ToWireBytes());
        Assert.Contains("not signed", ex.Message);
        Assert.Contains(envelope.Id, ex.Message);
        Assert.Throws<InvalidOperationException>(() => envelope.ToWireJson());
        Assert.False(envelope.Verify(Keys));
    }

    [Theory]
    [InlineData("[1,2]", "JSON array")]
    [InlineData("\"text\"", "JSON string")]
    [InlineData("42", "JSON number")]
    [InlineData("true", "JSON boolean")]
    [InlineData("null", "JSON null")]
    public void Payload_text_must_be_a_json_object(string payload, string kind)
    {
        var ex = Assert.Throws<ArgumentException>(() => MesaEnvelope.Create("offer", Principal, payload));
        Assert.Equal("payload", ex.ParamName);
        Assert.Contains("must be a JSON object", ex.Message);
        Assert.Contains(kind, ex.Message);
    }

    [Fact]
    public void Payload_values_must_be_an_object()
    {
        Assert.Contains("not null", Assert.Throws<ArgumentException>(() => MesaEnvelope.Create("offer", Principal, null)).Message);
        Assert.Contains("JSON array", Assert.Throws<ArgumentException>(() => MesaEnvelope.Create("offer", Principal, new List<object> { 1 })).Message);
        Assert.Contains("JSON number", Assert.Throws<ArgumentException>(() => MesaEnvelope.Create("offer", Principal, 5)).Message);
    }

    [Fact]
    public void A_string_payload_is_parsed_as_json_and_canonicalised()
    {
        var envelope = MesaEnvelope.Create("offer", Principal, "{ \"terms\": {\"b\": 2.50, \"a\": 1e2}, \"summary\": \"x\" }", Deliberation);

        Assert.Equal("{\"summary\":\"x\",\"terms\":{\"a\":100.0,\"b\":2.5}}", envelope.PayloadJson);
        Assert.Equal(JsonValueKind.Object, envelope.GetPayloadElement().ValueKind);
        Assert.Equal(2.5, envelope.GetPayloadElement().GetProperty("terms").GetProperty("b").GetDouble());
        var terms = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(envelope.Payload["terms"]);
        Assert.Equal(2.5, terms["b"]);
        Assert.Equal("x", envelope.Payload["summary"]);
    }

    [Fact]
    public void A_string_payload_that_is_not_json_is_refused()
    {
        var ex = Assert.Throws<CanonicalJsonException>(() => MesaEnvelope.Create("offer", Principal, "{summary: 'x'}"));
        Assert.Contains("not valid JSON", ex.Message);
    }

    [Fact]
    public void Every_payload_form_gives_the_same_bytes()
    {
        const string json = "{\"summary\":\"license $40k/yr\",\"terms\":{\"fee_total_usd\":40000,\"term_months\":12}}";
        using var doc = JsonDocument.Parse(json);
        var forms = new object[]
        {
            json,
            Offer(),
            doc.RootElement,
            JsonNode.Parse(json)!,
            new Hashtable { ["terms"] = new Hashtable { ["term_months"] = 12, ["fee_total_usd"] = 40000L }, ["summary"] = "license $40k/yr" },
        };

        var bytes = forms.Select(p => MesaEnvelope.Create("offer", Principal, p, Deliberation, id: "evt_x", timestamp: "t").GetCanonicalBytes()).ToList();
        Assert.All(bytes, b => Assert.Equal(bytes[0], b));
    }

    [Fact]
    public void Signing_returns_a_new_signed_envelope_that_verifies()
    {
        var unsigned = MesaEnvelope.Create("offer", Principal, Offer(), Deliberation);
        var signed = unsigned.Sign(Keys);

        Assert.False(unsigned.IsSigned);
        Assert.Null(unsigned.Signature);
        Assert.True(signed.IsSigned);
        Assert.Matches("^[0-9a-f]{128}$", signed.Signature);
        Assert.True(signed.Verify(Keys));
        Assert.True(signed.Verify(Keys.PublicKeyHex));
        Assert.True(signed.Verify(Keys.PublicKeyHex.ToUpperInvariant()));
        Assert.False(signed.Verify(MesaKeypair.Generate()));
        Assert.False(signed.Verify("not a key"));
        Assert.Equal(unsigned.GetCanonicalBytes(), signed.GetCanonicalBytes());
        Assert.Equal(unsigned.Id, signed.Id);
    }

    [Fact]
    public void Wire_json_is_the_canonical_json_plus_the_signature_in_key_order()
    {
        var signed = MesaEnvelope.Create("offer", Principal, Offer(), Deliberation, id: "evt_1", timestamp: "2026-05-08T00:00:00.000000Z").Sign(Keys);
        var wire = signed.ToWireJson();

        Assert.Equal(
            "{\"deliberation_id\":\"9054c21921ac41d89c815dc85122d719\",\"emitted_by\":\"11fcd05e5fb1496da15eb51e6dad67fe\",\"id\":\"evt_1\",\"parent_id\":null," +
            "\"payload\":{\"summary\":\"license $40k/yr\",\"terms\":{\"fee_total_usd\":40000,\"term_months\":12}}," +
            $"\"signature\":\"{signed.Signature}\",\"timestamp\":\"2026-05-08T00:00:00.000000Z\",\"type\":\"offer\"}}",
            wire);
        // The wire form is itself canonical, and without "signature" it is exactly what was signed.
        Assert.Equal(Encoding.UTF8.GetBytes(wire), CanonicalJson.FromJson(wire));
        var node = JsonNode.Parse(wire)!.AsObject();
        node.Remove("signature");
        Assert.Equal(signed.GetCanonicalBytes(), CanonicalJson.FromNode(node));
    }

    [Fact]
    public void Wire_json_read_back_verifies_under_both_profiles()
    {
        foreach (var profile in new[] { MesaProfile.V1, MesaProfile.V2 })
        {
            var signed = MesaEnvelope.Create("offer", Principal, Offer(), profile == MesaProfile.V2 ? Deliberation : null, parentId: "evt_0", profile: profile).Sign(Keys);
            var back = MesaEnvelope.FromJson(signed.ToWireJson(), profile);

            Assert.True(back.Verify(Keys));
            Assert.Equal(signed.Signature, back.Signature);
            Assert.Equal(signed.ParentId, back.ParentId);
            Assert.Equal(signed.DeliberationId, back.DeliberationId);
        }
    }

    [Fact]
    public void A_v2_signature_does_not_verify_as_v1_and_vice_versa()
    {
        var v2 = MesaEnvelope.Create("offer", Principal, Offer(), id: "evt_1", timestamp: "t").Sign(Keys);
        var asV1 = MesaEnvelope.FromJson(v2.ToWireJson(), MesaProfile.V1);

        Assert.True(v2.Verify(Keys));
        Assert.False(asV1.Verify(Keys));
    }

    [Fact]
    public void WithSignature_accepts_hex_in_either_case_and_refuses_anything_else()
    {
        var unsigned = MesaEnvelope.Create("offer", Principal, Offer(), Deliberation);
        var signature = unsigned.Sign(Keys).Signature!;

        Assert.True(unsigned.WithSignature(signature.ToUpperInvariant()).Verify(Keys));
        var ex = Assert.Throws<ArgumentException>(() => unsigned.WithSignature(signature[..100]));
        Assert.Contains("128 hex characters", ex.Message);
        Assert.Throws<ArgumentException>(() => unsigned.WithSignature(new string('z', 128)));
    }

    [Fact]
    public void WithProfile_rewrites_the_signed_fields_and_drops_the_signature()
    {
        var v2 = MesaEnvelope.Create("offer", Principal, Offer(), Deliberation, id: "evt_1", timestamp: "t").Sign(Keys);

        var v1 = v2.WithProfile(MesaProfile.V1);
        var again = v1.WithProfile(MesaProfile.V2);

        Assert.Same(v2, v2.WithProfile(MesaProfile.V2));
        Assert.False(v1.IsSigned);
        Assert.Null(v1.DeliberationId);
        Assert.Equal(MesaProfile.V1, v1.Profile);
        Assert.DoesNotContain("deliberation_id", Encoding.UTF8.GetString(v1.GetCanonicalBytes()));
        Assert.StartsWith("{\"deliberation_id\":null,", Encoding.UTF8.GetString(again.GetCanonicalBytes()));
        Assert.Equal(v2.PayloadJson, again.PayloadJson);
        Assert.True(v1.Sign(Keys).Verify(Keys));
    }

    [Fact]
    public void Canonical_bytes_handed_out_are_a_copy()
    {
        var signed = MesaEnvelope.Create("offer", Principal, Offer(), Deliberation).Sign(Keys);
        var bytes = signed.GetCanonicalBytes();
        bytes[0] = (byte)'[';

        Assert.True(signed.Verify(Keys));
        Assert.Equal((byte)'{', signed.GetCanonicalBytes()[0]);
    }

    [Fact]
    public void A_bad_payload_value_is_reported_with_its_path_under_payload()
    {
        var payload = new Dictionary<string, object?>
        {
            ["summary"] = "x",
            ["terms"] = new Dictionary<string, object?> { ["when"] = double.NaN },
        };

        var ex = Assert.Throws<CanonicalJsonException>(() => MesaEnvelope.Create("offer", Principal, payload));

        Assert.Equal("payload.terms.when", ex.JsonPath);
        Assert.Contains("'payload.terms.when'", ex.Message);
        Assert.Contains("NaN", ex.Message);
    }

    [Theory]
    [InlineData("type")]
    [InlineData("emitted_by")]
    [InlineData("id")]
    [InlineData("timestamp")]
    [InlineData("parent_id")]
    [InlineData("deliberation_id")]
    public void A_lone_surrogate_in_a_field_is_refused_naming_the_field(string field)
    {
        const string bad = "evt_\uD800";
        var ex = Assert.Throws<CanonicalJsonException>(() => MesaEnvelope.Create(
            field == "type" ? bad : "offer",
            field == "emitted_by" ? bad : Principal,
            Offer(),
            deliberationId: field == "deliberation_id" ? bad : null,
            parentId: field == "parent_id" ? bad : null,
            id: field == "id" ? bad : null,
            timestamp: field == "timestamp" ? bad : null));

        Assert.Equal(field, ex.JsonPath);
        Assert.Contains("lone surrogate U+D800", ex.Message);
    }

    [Fact]
    public void FromJson_ignores_unsigned_fields_and_v1_ignores_deliberation_id()
    {
        const string json = "{\"id\":\"evt_1\",\"parent_id\":null,\"timestamp\":\"t\",\"type\":\"offer\",\"emitted_by\":\"p\"," +
                            "\"deliberation_id\":\"d\",\"payload\":{\"summary\":\"s\",\"terms\":{}},\"extra\":[1,2,3]}";

        var v2 = MesaEnvelope.FromJson(json);
        var v1 = MesaEnvelope.FromJson(json, MesaProfile.V1);

        Assert.Equal("d", v2.DeliberationId);
        Assert.Null(v1.DeliberationId);
        Assert.DoesNotContain("extra", Encoding.UTF8.GetString(v2.GetCanonicalBytes()));
        Assert.False(v2.IsSigned);
    }

    [Theory]
    [InlineData("[1]", "must be a JSON object")]
    [InlineData("{\"id\":\"evt_1\",\"timestamp\":\"t\",\"type\":\"offer\",\"emitted_by\":\"p\"}", "no 'payload'")]
    [InlineData("{\"timestamp\":\"t\",\"type\":\"offer\",\"emitted_by\":\"p\",\"payload\":{}}", "no 'id'")]
    [InlineData("{\"id\":\"evt_1\",\"type\":\"offer\",\"emitted_by\":\"p\",\"payload\":{}}", "no 'timestamp'")]
    [InlineData("{\"id\":7,\"timestamp\":\"t\",\"type\":\"offer\",\"emitted_by\":\"p\",\"payload\":{}}", "'id' must be a string or null")]
    [InlineData("{\"id\":\"evt_1\",\"timestamp\":\"t\",\"emitted_by\":\"p\",\"payload\":{}}", "'type' must be a non-empty string")]
    public void FromJson_explains_what_is_missing_or_wrong(string json, string expected)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => MesaEnvelope.FromJson(json));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void ToString_describes_the_envelope()
    {
        var envelope = MesaEnvelope.Create("offer", Principal, Offer(), Deliberation, id: "evt_7");
        Assert.Equal($"offer evt_7 by {Principal} (V2, unsigned)", envelope.ToString());
        Assert.Equal($"offer evt_7 by {Principal} (V2, signed)", envelope.Sign(Keys).ToString());
    }
}
