using System.Text.Json;

namespace Mesa.Client.Tests;

/// <summary>The signed fields of each profile come from MesaEnvelopeFields, and the signing vectors agree with it.</summary>
public class ProtocolEnvelopeFieldsTests
{
    private static readonly MesaKeypair Keys = MesaKeypair.FromPrivateKeyHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");

    [Theory]
    [InlineData(MesaProfile.V1)]
    [InlineData(MesaProfile.V2)]
    public void An_envelope_signs_exactly_the_fields_of_its_profile_and_sends_the_signature_beside_them(MesaProfile profile)
    {
        var envelope = MesaEnvelope.Create("offer", "p1", new Dictionary<string, object?> { ["summary"] = "s" },
            profile == MesaProfile.V2 ? "d1" : null, profile: profile).Sign(Keys);

        using var signed = JsonDocument.Parse(envelope.GetCanonicalBytes());
        using var wire = JsonDocument.Parse(envelope.ToWireBytes());

        Assert.Equal(MesaEnvelopeFields.Signed(profile), signed.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(
            MesaEnvelopeFields.Signed(profile).Append(MesaEnvelopeFields.Signature).Order(StringComparer.Ordinal),
            wire.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void The_signed_sets_differ_only_by_deliberation_id_and_are_in_code_point_order()
    {
        Assert.Equal([MesaEnvelopeFields.DeliberationId], MesaEnvelopeFields.Signed(MesaProfile.V2).Except(MesaEnvelopeFields.Signed(MesaProfile.V1)));
        Assert.Empty(MesaEnvelopeFields.Signed(MesaProfile.V1).Except(MesaEnvelopeFields.Signed(MesaProfile.V2)));
        foreach (var profile in new[] { MesaProfile.V1, MesaProfile.V2 })
        {
            Assert.Equal(MesaEnvelopeFields.Signed(profile).Order(StringComparer.Ordinal), MesaEnvelopeFields.Signed(profile));
        }
    }
}
