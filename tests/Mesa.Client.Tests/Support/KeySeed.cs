namespace Mesa.Client.Tests.Support;

/// <summary>A generated 32-byte Ed25519 seed.</summary>
public sealed record KeySeed(byte[] Bytes)
{
    public MesaKeypair Keypair() => MesaKeypair.FromSeed(Bytes);

    public override string ToString() => "seed " + Convert.ToHexStringLower(Bytes);
}
