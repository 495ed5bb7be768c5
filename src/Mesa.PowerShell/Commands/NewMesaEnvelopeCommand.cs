using System.Management.Automation;
using Mesa.Client;
using Mesa.PowerShell.Infrastructure;

namespace Mesa.PowerShell.Commands;

/// <summary>
/// Makes an envelope: a typed payload from a principal, optionally inside a deliberation, signed when
/// <c>-Keypair</c> is given. The payload may be a hashtable, an ordered dictionary, a PSCustomObject (nested
/// arrays and objects included) or JSON object text. A deliberation object piped in supplies the deliberation id.
/// </summary>
[Cmdlet(VerbsCommon.New, "MesaEnvelope")]
[OutputType(typeof(MesaEnvelope))]
public sealed class NewMesaEnvelopeCommand : MesaCmdlet
{
    /// <summary>The commitment type (such as offer), or turn.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CommitmentTypeCompleter))]
    public string Type { get; set; } = "";

    /// <summary>The id of the emitting principal (whose key signs).</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PrincipalIdCompleter))]
    public string EmittedBy { get; set; } = "";

    /// <summary>The payload: a hashtable, [ordered] dictionary, PSCustomObject or JSON object text.</summary>
    [Parameter(Mandatory = true)]
    [AllowEmptyString]
    public object Payload { get; set; } = null!;

    /// <summary>The deliberation (v2 only): its id, or a deliberation object, also from the pipeline.</summary>
    [Parameter(ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [DeliberationIdTransformation]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DeliberationIdCompleter))]
    public string? DeliberationId { get; set; }

    /// <summary>An earlier envelope this one follows.</summary>
    [Parameter]
    public string? ParentId { get; set; }

    /// <summary>The envelope id; default evt_ and 32 hex characters.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Id { get; set; }

    /// <summary>The timestamp text (a DateTime is written as UTC with microseconds and Z); default UTC now.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [TimestampTransformation]
    public string? Timestamp { get; set; }

    /// <summary>Which fields get signed: v1 or v2. Default: the connection's profile, else v2.</summary>
    [Parameter]
    public MesaProfile? Profile { get; set; }

    /// <summary>Signs the envelope with this keypair.</summary>
    [Parameter]
    public MesaKeypair? Keypair { get; set; }

    /// <summary>The connection whose profile is the default (no request is made); without it the session default.</summary>
    [Parameter]
    public MesaConnection? Connection { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var profile = Profile ?? (Connection ?? ConnectionStore.Get())?.Profile ?? MesaProfile.V2;
        MesaEnvelope envelope;
        try
        {
            envelope = MesaEnvelope.Create(
                Type, EmittedBy, PSValueConverter.ToPlain(Payload), DeliberationId, ParentId, Id, Timestamp, profile);
            if (Keypair is not null)
            {
                envelope = envelope.Sign(Keypair);
            }
        }
        catch (ArgumentException ex)
        {
            WriteItemError(ex, Payload);
            return;
        }

        WriteObject(Wrap(envelope, TypeNames.Envelope));
    }
}
