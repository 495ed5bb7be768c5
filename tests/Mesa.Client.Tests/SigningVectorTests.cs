using System.Text.Json;

namespace Mesa.Client.Tests;

public class SigningVectorTests
{
    public static IEnumerable<object[]> CaseNames => Vectors.Cases("signing.json");

    private static (MesaKeypair Keys, MesaEnvelope Envelope, JsonElement Vector) Load(string name)
    {
        var v = Vectors.Case("signing.json", name);
        var profile = v.GetProperty("profile").GetString() == "v1" ? MesaProfile.V1 : MesaProfile.V2;
        var keys = MesaKeypair.FromPrivateKeyHex(v.GetProperty("private_key_hex").GetString()!);
        var envelope = MesaEnvelope.FromJson(v.GetProperty("envelope").GetRawText(), profile);
        return (keys, envelope, v);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Public_key_matches(string name)
    {
        var (keys, _, v) = Load(name);
        Assert.Equal(v.GetProperty("public_key_hex").GetString(), keys.PublicKeyHex);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Canonical_bytes_match(string name)
    {
        var (_, envelope, v) = Load(name);
        Assert.Equal(v.GetProperty("canonical_hex").GetString(), Convert.ToHexStringLower(envelope.GetCanonicalBytes()));
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Signature_matches_and_verifies(string name)
    {
        var (keys, envelope, v) = Load(name);
        var signed = envelope.Sign(keys);
        Assert.Equal(v.GetProperty("signature_hex").GetString(), signed.Signature);
        Assert.True(signed.Verify(v.GetProperty("public_key_hex").GetString()!));
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Wire_json_reparses_to_the_signed_bytes(string name)
    {
        var (keys, envelope, v) = Load(name);
        var signed = envelope.Sign(keys);
        var profile = v.GetProperty("profile").GetString() == "v1" ? MesaProfile.V1 : MesaProfile.V2;
        var reparsed = MesaEnvelope.FromJson(signed.ToWireJson(), profile);
        Assert.Equal(envelope.GetCanonicalBytes(), reparsed.GetCanonicalBytes());
        Assert.True(reparsed.Verify(keys));
    }
}
