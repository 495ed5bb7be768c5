using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using FsCheck.Xunit;
using Mesa.Client.Tests.Support;

namespace Mesa.Client.Tests;

public class CanonicalJsonPropertyTests
{
    [Property(Arbitrary = [typeof(JsonArbitraries)], MaxTest = 300)]
    public void Canonical_output_is_utf8_json_and_canonicalising_it_again_gives_the_same_bytes(JsonSample sample)
    {
        var bytes = CanonicalJson.FromObject(sample.Value);

        Assert.True(Utf8.IsValid(bytes));
        using var doc = JsonDocument.Parse(bytes); // throws if it is not JSON
        Assert.Equal(bytes, CanonicalJson.FromJson(bytes));
        Assert.Equal(bytes, CanonicalJson.FromJson(Encoding.UTF8.GetString(bytes)));
        Assert.Equal(bytes, CanonicalJson.FromElement(doc.RootElement));
        Assert.Equal(bytes, CanonicalJson.FromNode(JsonNode.Parse(bytes)));
    }

    [Property(Arbitrary = [typeof(JsonArbitraries)], MaxTest = 300)]
    public void Whitespace_key_order_escapes_duplicates_and_float_notation_do_not_change_the_bytes(JsonSample sample, int seed)
    {
        var noisy = NoisyJson.Write(sample.Value, new Random(seed));

        Assert.Equal(CanonicalJson.FromObject(sample.Value), CanonicalJson.FromJson(noisy));
    }

    [Property(Arbitrary = [typeof(JsonArbitraries)], MaxTest = 200)]
    public void A_signed_envelope_verifies_and_changing_any_one_canonical_byte_breaks_it(PayloadSample payload, KeySeed seed, int position, byte mask)
    {
        var keys = seed.Keypair();
        var signed = MesaEnvelope.Create("offer", "principal", payload.Value, "deliberation").Sign(keys);
        var bytes = signed.GetCanonicalBytes();
        Assert.True(signed.Verify(keys));
        Assert.True(MesaKeypair.Verify(keys.PublicKeyHex, bytes, signed.Signature!));

        bytes[(int)((uint)position % (uint)bytes.Length)] ^= mask == 0 ? (byte)1 : mask;

        Assert.False(MesaKeypair.Verify(keys.PublicKeyHex, bytes, signed.Signature!));
    }

    [Property(Arbitrary = [typeof(JsonArbitraries)], MaxTest = 200)]
    public void Changing_any_one_signature_byte_breaks_verification(PayloadSample payload, KeySeed seed, int position, byte mask)
    {
        var keys = seed.Keypair();
        var signed = MesaEnvelope.Create("offer", "principal", payload.Value, "deliberation").Sign(keys);
        var signature = Convert.FromHexString(signed.Signature!);

        signature[(int)((uint)position % (uint)signature.Length)] ^= mask == 0 ? (byte)1 : mask;

        Assert.False(signed.WithSignature(Convert.ToHexStringLower(signature)).Verify(keys));
        Assert.False(keys.Verify(signed.GetCanonicalBytes(), signature));
    }

    [Property(Arbitrary = [typeof(JsonArbitraries)], MaxTest = 200)]
    public void Wire_json_read_back_gives_the_signed_bytes_and_verifies(PayloadSample payload, KeySeed seed)
    {
        var keys = seed.Keypair();
        var signed = MesaEnvelope.Create("offer", "principal", payload.Value, "deliberation").Sign(keys);

        var back = MesaEnvelope.FromJson(signed.ToWireJson());

        Assert.Equal(signed.GetCanonicalBytes(), back.GetCanonicalBytes());
        Assert.True(back.Verify(keys.PublicKeyHex));
    }
}
