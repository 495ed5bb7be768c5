using System.Management.Automation;
using System.Security;
using Mesa.Client;
using Mesa.PowerShell.Infrastructure;

namespace Mesa.PowerShell.Commands;

/// <summary>Generates an Ed25519 keypair, or restores one from its 64-hex-character private seed.</summary>
[Cmdlet(VerbsCommon.New, "MesaKeypair")]
[OutputType(typeof(MesaKeypair))]
public sealed class NewMesaKeypairCommand : MesaCmdlet
{
    /// <summary>The private seed (64 hex characters) to restore; omit it to generate a new keypair.</summary>
    [Parameter(Position = 0)]
    public SecureString? PrivateKeyHex { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        MesaKeypair keypair;
        try
        {
            var seed = SecureStrings.Reveal(PrivateKeyHex);
            keypair = seed is null ? MesaKeypair.Generate() : MesaKeypair.FromPrivateKeyHex(seed);
        }
        catch (ArgumentException ex)
        {
            // The message says what was expected and never repeats the input.
            ThrowError(ex, null);
            return;
        }

        WriteObject(Wrap(keypair, TypeNames.Keypair));
    }
}
