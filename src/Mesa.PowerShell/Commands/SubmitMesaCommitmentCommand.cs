using System.Management.Automation;
using Mesa.Client;
using Mesa.PowerShell.Infrastructure;

namespace Mesa.PowerShell.Commands;

/// <summary>
/// Posts signed envelopes as commitments and returns, per envelope, the commitment with the policy decision.
/// Unsigned envelopes are signed with <c>-Keypair</c>; without it they are refused (no request is made). A refused
/// or failed envelope is a non-terminating error, so the rest of a bulk submission carries on.
/// </summary>
[Cmdlet(VerbsLifecycle.Submit, "MesaCommitment", SupportsShouldProcess = true)]
[OutputType(typeof(MesaCommitment))]
public sealed class SubmitMesaCommitmentCommand : MesaConnectedCmdlet
{
    /// <summary>The envelope to post, usually from New-MesaEnvelope through the pipeline.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNull]
    public MesaEnvelope Envelope { get; set; } = null!;

    /// <summary>Signs envelopes that are not signed yet.</summary>
    [Parameter]
    public MesaKeypair? Keypair { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var input = Envelope;
        var envelope = input;
        if (!envelope.IsSigned)
        {
            if (Keypair is null)
            {
                WriteError(new ErrorRecord(
                    new InvalidOperationException(
                        $"Envelope {envelope.Id} is not signed, so it was not sent. Pass -Keypair to sign it here, or sign it with New-MesaEnvelope -Keypair."),
                    "EnvelopeNotSigned", ErrorCategory.InvalidArgument, input));
                return;
            }

            envelope = envelope.Sign(Keypair);
        }

        var connection = ResolveConnection();
        if (envelope.Profile != connection.Profile)
        {
            WriteWarning(
                $"Envelope {envelope.Id} is signed under the {envelope.Profile} profile but {connection.Uri} speaks {connection.Profile}; the server will likely refuse the signature. Make it with New-MesaEnvelope -Profile {connection.Profile}.");
        }

        if (!ShouldProcess($"{envelope.Type} envelope {envelope.Id} from {envelope.EmittedBy}", $"Submit commitment to {connection.Uri}"))
        {
            return;
        }

        try
        {
            var commitment = Await(ct => connection.Client.SubmitCommitmentAsync(envelope, ct));
            WriteObject(WrapCommitment(commitment));
        }
        catch (MesaException ex)
        {
            WriteItemError(ex, input);
        }
    }

    // Nested objects get their type names too, so the decision and policy views apply when they are shown alone.
    private static PSObject WrapCommitment(MesaCommitment commitment)
    {
        Wrap(commitment.Decision, TypeNames.Decision);
        foreach (var applied in commitment.Decision.Applied)
        {
            Wrap(applied, TypeNames.AppliedPolicy);
        }

        return Wrap(commitment, TypeNames.Commitment);
    }
}
