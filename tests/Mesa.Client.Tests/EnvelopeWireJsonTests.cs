using System.Text;

namespace Mesa.Client.Tests;

/// <summary>MesaEnvelope.FromWireJson: exact wire JSON back into an envelope whose wire bytes and signature are unchanged.</summary>
public class EnvelopeWireJsonTests
{
    private static readonly MesaKeypair Keys = MesaKeypair.Generate();

    private static MesaEnvelope Signed(MesaProfile profile, string? deliberation = "dlb_1") =>
        MesaEnvelope.Create("offer", "p1", new Dictionary<string, object?> { ["summary"] = "é ✓ \"q\"", ["terms"] = new Dictionary<string, object?> { ["n"] = 1.5, ["big"] = 12345678901234567890m } },
            profile == MesaProfile.V2 ? deliberation : null, parentId: "evt_parent", profile: profile).Sign(Keys);

    [Theory]
    [InlineData(MesaProfile.V1)]
    [InlineData(MesaProfile.V2)]
    public void Wire_bytes_read_back_are_the_same_envelope_byte_for_byte(MesaProfile profile)
    {
        var original = Signed(profile);
        var wire = original.ToWireBytes();

        var back = MesaEnvelope.FromWireJson(wire);
        var fromText = MesaEnvelope.FromWireJson(Encoding.UTF8.GetString(wire), profile);

        Assert.Equal(wire, back.ToWireBytes());
        Assert.Equal(wire, fromText.ToWireBytes());
        Assert.Equal(profile, back.Profile);
        Assert.Equal(original.GetCanonicalBytes(), back.GetCanonicalBytes());
        Assert.True(back.Verify(Keys));
        Assert.Equal(original.Id, back.Id);
    }

    [Fact]
    public void A_v2_envelope_outside_a_deliberation_stays_v2()
    {
        var original = Signed(MesaProfile.V2, deliberation: null);
        var back = MesaEnvelope.FromWireJson(original.ToWireBytes());
        Assert.Equal(MesaProfile.V2, back.Profile);
        Assert.True(back.Verify(Keys));
    }

    [Fact]
    public void A_profile_that_disagrees_with_the_bytes_is_refused_by_name()
    {
        var ex = Assert.Throws<ArgumentException>(() => MesaEnvelope.FromWireJson(Signed(MesaProfile.V2).ToWireBytes(), MesaProfile.V1));
        Assert.Contains("v2 envelope", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => MesaEnvelope.FromWireJson(Signed(MesaProfile.V1).ToWireBytes(), MesaProfile.V2));
        Assert.Contains("v1 envelope", ex.Message);
    }

    [Fact]
    public void Json_that_is_not_the_exact_wire_form_is_refused_with_the_byte_where_it_differs()
    {
        var wire = Signed(MesaProfile.V2).ToWireJson();
        var spaced = wire.Replace("\"type\":", "\"type\": ", StringComparison.Ordinal);

        var ex = Assert.Throws<ArgumentException>(() => MesaEnvelope.FromWireJson(spaced));
        Assert.Contains("exact wire form", ex.Message);
        var typeAt = Encoding.UTF8.GetBytes(wire).AsSpan().IndexOf("\"type\":"u8);
        Assert.Contains($"byte {typeAt + 7} on", ex.Message);
    }

    [Fact]
    public void Unsigned_and_not_json_are_refused()
    {
        var unsigned = Encoding.UTF8.GetString(MesaEnvelope.Create("offer", "p1", "{}", "d").GetCanonicalBytes());
        Assert.Contains("no signature", Assert.Throws<ArgumentException>(() => MesaEnvelope.FromWireJson(unsigned)).Message);
        Assert.Throws<CanonicalJsonException>(() => MesaEnvelope.FromWireJson("{\"id\":"));
        Assert.Contains("JSON object", Assert.Throws<ArgumentException>(() => MesaEnvelope.FromWireJson("[1]")).Message);
    }
}
