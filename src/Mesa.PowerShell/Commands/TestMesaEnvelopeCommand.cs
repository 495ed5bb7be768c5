using System.Management.Automation;
using Mesa.Client;
using Mesa.PowerShell.Infrastructure;

namespace Mesa.PowerShell.Commands;

/// <summary>
/// Checks an envelope's signature against a public key (hex) or a keypair: <c>$true</c> when it verifies over the
/// envelope's canonical bytes, <c>$false</c> when it does not or the envelope is unsigned.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "MesaEnvelope", DefaultParameterSetName = PublicKeySet)]
[OutputType(typeof(bool))]
public sealed class TestMesaEnvelopeCommand : MesaCmdlet
{
    private const string PublicKeySet = "PublicKey";
    private const string KeypairSet = "Keypair";

    /// <summary>The envelope to check.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNull]
    public MesaEnvelope Envelope { get; set; } = null!;

    /// <summary>The signer's public key, 64 hex characters (a principal's PublicKey).</summary>
    [Parameter(Mandatory = true, ParameterSetName = PublicKeySet)]
    [ValidateNotNullOrEmpty]
    public string PublicKey { get; set; } = "";

    /// <summary>The signer's keypair.</summary>
    [Parameter(Mandatory = true, ParameterSetName = KeypairSet)]
    [ValidateNotNull]
    public MesaKeypair Keypair { get; set; } = null!;

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        if (ParameterSetName == PublicKeySet && !MesaKeypair.IsValidPublicKeyHex(PublicKey))
        {
            ThrowTerminatingError(ErrorIds.InvalidPublicKeyError(PublicKey));
        }
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (!Envelope.IsSigned)
        {
            WriteVerbose($"Envelope {Envelope.Id} is not signed.");
            WriteObject(false);
            return;
        }

        WriteObject(ParameterSetName == KeypairSet ? Envelope.Verify(Keypair) : Envelope.Verify(PublicKey));
    }
}
