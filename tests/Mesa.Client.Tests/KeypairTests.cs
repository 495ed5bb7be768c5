using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace Mesa.Client.Tests;

public class KeypairTests
{
    // RFC 8032 section 7.1, tests 1 and 2.
    private const string Rfc1Seed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    private const string Rfc1Public = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    private const string Rfc1Signature = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";
    private const string Rfc2Seed = "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb";
    private const string Rfc2Public = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";
    private const string Rfc2Signature = "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00";

    private static readonly Regex LowerHex64 = new("^[0-9a-f]{64}$");

    [Theory]
    [InlineData(Rfc1Seed, Rfc1Public, "", Rfc1Signature)]
    [InlineData(Rfc2Seed, Rfc2Public, "72", Rfc2Signature)]
    public void Matches_the_rfc_8032_vectors(string seed, string publicKey, string messageHex, string signature)
    {
        var keys = MesaKeypair.FromPrivateKeyHex(seed);
        var message = Convert.FromHexString(messageHex);

        Assert.Equal(publicKey, keys.PublicKeyHex);
        Assert.Equal(signature, Convert.ToHexStringLower(keys.Sign(message)));
        Assert.Equal(signature, keys.SignHex(message));
        Assert.True(keys.Verify(message, Convert.FromHexString(signature)));
        Assert.True(MesaKeypair.Verify(publicKey, message, signature));
    }

    [Fact]
    public void Generated_keys_are_distinct_and_well_formed()
    {
        var keys = Enumerable.Range(0, 50).Select(_ => MesaKeypair.Generate()).ToList();

        Assert.Equal(50, keys.Select(k => k.PublicKeyHex).Distinct().Count());
        Assert.Equal(50, keys.Select(k => k.ExportPrivateKeyHex()).Distinct().Count());
        Assert.All(keys, k =>
        {
            Assert.Matches(LowerHex64, k.PublicKeyHex);
            Assert.Matches(LowerHex64, k.ExportPrivateKeyHex());
            Assert.True(MesaKeypair.IsValidPublicKeyHex(k.PublicKeyHex));
        });
    }

    [Fact]
    public void Private_key_hex_round_trips_in_either_case()
    {
        var original = MesaKeypair.Generate();
        var hex = original.ExportPrivateKeyHex();
        var message = "round trip"u8.ToArray();

        var lower = MesaKeypair.FromPrivateKeyHex(hex);
        var upper = MesaKeypair.FromPrivateKeyHex(hex.ToUpperInvariant());

        Assert.Equal(original.PublicKeyHex, lower.PublicKeyHex);
        Assert.Equal(original.PublicKeyHex, upper.PublicKeyHex);
        Assert.Equal(hex, upper.ExportPrivateKeyHex());
        // Ed25519 is deterministic: the same seed signs the same bytes identically.
        Assert.Equal(original.SignHex(message), upper.SignHex(message));
    }

    [Fact]
    public void From_seed_equals_from_hex()
    {
        var seed = Convert.FromHexString(Rfc1Seed);
        Assert.Equal(Rfc1Public, MesaKeypair.FromSeed(seed).PublicKeyHex);
    }

    [Fact]
    public void Signature_is_64_bytes_and_lowercase_hex()
    {
        var keys = MesaKeypair.Generate();
        var data = "payload"u8.ToArray();

        Assert.Equal(MesaKeypair.SignatureSize, keys.Sign(data).Length);
        Assert.Matches("^[0-9a-f]{128}$", keys.SignHex(data));
    }

    [Fact]
    public void Tampered_data_or_signature_fails_to_verify()
    {
        var keys = MesaKeypair.Generate();
        var data = Encoding.UTF8.GetBytes("{\"amount\":40000}");
        var signature = keys.Sign(data);
        Assert.True(keys.Verify(data, signature));

        var otherData = Encoding.UTF8.GetBytes("{\"amount\":40001}");
        Assert.False(keys.Verify(otherData, signature));
        Assert.False(MesaKeypair.Verify(keys.PublicKeyHex, otherData, Convert.ToHexString(signature)));

        var badSignature = (byte[])signature.Clone();
        badSignature[10] ^= 0x01;
        Assert.False(keys.Verify(data, badSignature));
        Assert.False(keys.Verify(data, signature.AsSpan(0, 63)));
    }

    [Fact]
    public void A_different_signer_fails_to_verify()
    {
        var alice = MesaKeypair.Generate();
        var mallory = MesaKeypair.Generate();
        var data = "offer"u8.ToArray();

        var forged = mallory.SignHex(data);

        Assert.False(alice.Verify(data, Convert.FromHexString(forged)));
        Assert.False(MesaKeypair.Verify(alice.PublicKeyHex, data, forged));
        Assert.True(MesaKeypair.Verify(mallory.PublicKeyHex, data, forged));
    }

    [Fact]
    public void Static_verify_accepts_uppercase_and_rejects_malformed_input_without_throwing()
    {
        var keys = MesaKeypair.FromPrivateKeyHex(Rfc1Seed);

        Assert.True(MesaKeypair.Verify(Rfc1Public.ToUpperInvariant(), [], Rfc1Signature.ToUpperInvariant()));
        Assert.False(MesaKeypair.Verify(null!, [], Rfc1Signature));
        Assert.False(MesaKeypair.Verify(Rfc1Public, [], null!));
        Assert.False(MesaKeypair.Verify(Rfc1Public[..62], [], Rfc1Signature));
        Assert.False(MesaKeypair.Verify(Rfc1Public, [], Rfc1Signature[..126]));
        Assert.False(MesaKeypair.Verify("zz" + Rfc1Public[2..], [], Rfc1Signature));
        Assert.False(MesaKeypair.Verify(Rfc1Public, [], "zz" + Rfc1Signature[2..]));
        Assert.Equal(Rfc1Public, keys.PublicKeyHex);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f6")] // 63
    [InlineData("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f600")] // 65
    [InlineData(" 9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")]
    public void Wrong_length_private_key_is_rejected_saying_what_is_expected(string input)
    {
        var ex = Assert.Throws<ArgumentException>(() => MesaKeypair.FromPrivateKeyHex(input));

        Assert.Contains("64 hex characters", ex.Message);
        Assert.Contains("32 bytes", ex.Message);
        Assert.Contains($"got {input.Length} characters", ex.Message);
        Assert.Equal("privateKeyHex", ex.ParamName);
        if (input.Length > 3) Assert.DoesNotContain(input.Trim(), ex.Message); // the secret is never echoed
    }

    [Fact]
    public void Non_hex_private_key_is_rejected_without_echoing_it()
    {
        var input = "g" + Rfc1Seed[1..];
        var ex = Assert.Throws<ArgumentException>(() => MesaKeypair.FromPrivateKeyHex(input));

        Assert.Contains("only hex characters", ex.Message);
        Assert.Contains("64", ex.Message);
        Assert.DoesNotContain(Rfc1Seed[1..], ex.Message);
    }

    [Fact]
    public void Null_private_key_is_rejected_saying_what_is_expected()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => MesaKeypair.FromPrivateKeyHex(null!));
        Assert.Contains("64 hex characters", ex.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(64)]
    public void Wrong_length_seed_is_rejected(int length)
    {
        var ex = Assert.Throws<ArgumentException>(() => MesaKeypair.FromSeed(new byte[length]));
        Assert.Contains("32 bytes", ex.Message);
        Assert.Contains($"got {length} bytes", ex.Message);
    }

    [Fact]
    public void ToString_shows_the_public_key_and_never_the_private_key()
    {
        var keys = MesaKeypair.FromPrivateKeyHex(Rfc1Seed);
        var text = keys.ToString();

        Assert.Contains(Rfc1Public, text);
        Assert.Contains("<redacted>", text);
        Assert.DoesNotContain(Rfc1Seed, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Rfc1Seed[..16], text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void GetPublicKey_returns_a_copy()
    {
        var keys = MesaKeypair.FromPrivateKeyHex(Rfc1Seed);
        var copy = keys.GetPublicKey();
        copy[0] ^= 0xFF;

        Assert.Equal(Rfc1Public, Convert.ToHexStringLower(keys.GetPublicKey()));
        Assert.True(MesaKeypair.Verify(keys.PublicKeyHex, [], Rfc1Signature));
    }

    [Theory]
    [InlineData(Rfc1Public, true)]
    [InlineData("D75A980182B10AB7D54BFED3C964073A0EE172F3DAA62325AF021A68F707511A", true)]
    [InlineData("d75a98", false)]
    [InlineData("x75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", false)]
    [InlineData(null, false)]
    public void IsValidPublicKeyHex_checks_length_and_hex(string? input, bool expected)
    {
        Assert.Equal(expected, MesaKeypair.IsValidPublicKeyHex(input));
    }

    [Fact]
    public void Concurrent_signing_with_one_keypair_gives_the_sequential_results()
    {
        var keys = MesaKeypair.Generate();
        var messages = Enumerable.Range(0, 400).Select(i => Encoding.UTF8.GetBytes($"{{\"n\":{i}}}")).ToArray();
        var expected = messages.Select(m => keys.SignHex(m)).ToArray();
        var actual = new ConcurrentDictionary<int, string>();

        Parallel.For(0, messages.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            actual[i] = keys.SignHex(messages[i]);
            Assert.True(keys.Verify(messages[i], keys.Sign(messages[i])));
        });

        Assert.Equal(expected, Enumerable.Range(0, messages.Length).Select(i => actual[i]));
    }
}
