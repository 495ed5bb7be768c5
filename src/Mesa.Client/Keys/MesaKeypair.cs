using NSec.Cryptography;

namespace Mesa.Client;

/// <summary>
/// An Ed25519 keypair (RFC 8032). The private key is the 32-byte seed; it leaves the object only
/// through <see cref="ExportPrivateKeyHex"/>. Instances are immutable and safe to share across threads.
/// </summary>
public sealed class MesaKeypair
{
    private static readonly SignatureAlgorithm Algorithm = SignatureAlgorithm.Ed25519;

    private static KeyCreationParameters Exportable => new()
    {
        ExportPolicy = KeyExportPolicies.AllowPlaintextExport,
    };

    private readonly Key _key;
    private readonly byte[] _publicKey;

    private MesaKeypair(Key key)
    {
        _key = key;
        _publicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        PublicKeyHex = Hex.Lower(_publicKey);
    }

    /// <summary>Length of a seed, a public key (bytes).</summary>
    public const int KeySize = 32;

    /// <summary>Length of a signature (bytes).</summary>
    public const int SignatureSize = 64;

    /// <summary>The public key as 64 lowercase hex characters.</summary>
    public string PublicKeyHex { get; }

    /// <summary>A copy of the 32-byte public key.</summary>
    public byte[] GetPublicKey() => (byte[])_publicKey.Clone();

    /// <summary>Generates a new random keypair.</summary>
    public static MesaKeypair Generate() => new(Key.Create(Algorithm, Exportable));

    /// <summary>Restores a keypair from its private seed given as 64 hex characters (either case).</summary>
    /// <exception cref="ArgumentException">The text is not 64 hex characters.</exception>
    public static MesaKeypair FromPrivateKeyHex(string privateKeyHex)
    {
        var seed = Hex.Parse(privateKeyHex, KeySize, "A private key", nameof(privateKeyHex));
        try
        {
            return FromSeed(seed);
        }
        finally
        {
            Array.Clear(seed);
        }
    }

    /// <summary>Restores a keypair from its 32-byte private seed.</summary>
    public static MesaKeypair FromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != KeySize)
        {
            throw new ArgumentException($"A private key seed must be exactly {KeySize} bytes (64 hex characters); got {seed.Length} bytes.", nameof(seed));
        }

        return new MesaKeypair(Key.Import(Algorithm, seed, KeyBlobFormat.RawPrivateKey, Exportable));
    }

    /// <summary>Returns the private seed as 64 lowercase hex characters. Handle the result as a secret.</summary>
    public string ExportPrivateKeyHex()
    {
        var seed = _key.Export(KeyBlobFormat.RawPrivateKey);
        try
        {
            return Hex.Lower(seed);
        }
        finally
        {
            Array.Clear(seed);
        }
    }

    /// <summary>Signs <paramref name="data"/>; returns the 64-byte signature.</summary>
    public byte[] Sign(ReadOnlySpan<byte> data) => Algorithm.Sign(_key, data);

    /// <summary>Signs <paramref name="data"/>; returns the signature as 128 lowercase hex characters.</summary>
    public string SignHex(ReadOnlySpan<byte> data)
    {
        Span<byte> signature = stackalloc byte[SignatureSize];
        Algorithm.Sign(_key, data, signature);
        return Hex.Lower(signature);
    }

    /// <summary>True when <paramref name="signature"/> is this key's signature over <paramref name="data"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        signature.Length == SignatureSize && Algorithm.Verify(_key.PublicKey, data, signature);

    /// <summary>
    /// True when <paramref name="signatureHex"/> (128 hex characters, either case) is a valid signature over
    /// <paramref name="data"/> by the holder of <paramref name="publicKeyHex"/>. Malformed keys or signatures give false.
    /// </summary>
    public static bool Verify(string publicKeyHex, ReadOnlySpan<byte> data, string signatureHex)
    {
        if (publicKeyHex is null || signatureHex is null
            || publicKeyHex.Length != KeySize * 2 || signatureHex.Length != SignatureSize * 2
            || !Hex.IsHex(publicKeyHex) || !Hex.IsHex(signatureHex))
        {
            return false;
        }

        Span<byte> keyBytes = stackalloc byte[KeySize];
        Span<byte> signature = stackalloc byte[SignatureSize];
        Convert.FromHexString(publicKeyHex, keyBytes, out _, out _);
        Convert.FromHexString(signatureHex, signature, out _, out _);
        if (!PublicKey.TryImport(Algorithm, keyBytes, KeyBlobFormat.RawPublicKey, out var publicKey) || publicKey is null)
        {
            return false;
        }

        return Algorithm.Verify(publicKey, data, signature);
    }

    /// <summary>True when <paramref name="publicKeyHex"/> is 64 hex characters that import as an Ed25519 public key.</summary>
    public static bool IsValidPublicKeyHex(string? publicKeyHex)
    {
        if (publicKeyHex is null || publicKeyHex.Length != KeySize * 2 || !Hex.IsHex(publicKeyHex))
        {
            return false;
        }

        return PublicKey.TryImport(Algorithm, Convert.FromHexString(publicKeyHex), KeyBlobFormat.RawPublicKey, out _);
    }

    /// <summary>Shows the public key; the private key is always <c>&lt;redacted&gt;</c>.</summary>
    public override string ToString() => $"MesaKeypair(PublicKey={PublicKeyHex}, PrivateKey=<redacted>)";
}
