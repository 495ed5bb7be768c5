using System.Management.Automation;
using Mesa.Client;
using Mesa.PowerShell.Infrastructure;

namespace Mesa.PowerShell.Commands;

/// <summary>
/// Makes envelopes: a typed payload from a principal, optionally inside a deliberation, signed when
/// <c>-Keypair</c> is given. The payload may be a hashtable, an ordered dictionary, a PSCustomObject (nested
/// arrays and objects included) or JSON object text.
/// </summary>
/// <remarks>
/// Two ways to use the pipeline, told apart by whether <c>-Payload</c> is on the command line:
/// without it (parameter set Payload), every piped object is a payload and one invocation makes one envelope per
/// object, with the other parameters given once (bulk mode, such as <c>Import-Csv | New-MesaEnvelope</c>);
/// with it (parameter set Deliberation), a piped deliberation or id supplies <c>-DeliberationId</c>.
/// </remarks>
[Cmdlet(VerbsCommon.New, "MesaEnvelope", DefaultParameterSetName = PayloadSet)]
[OutputType(typeof(MesaEnvelope))]
public sealed class NewMesaEnvelopeCommand : MesaCmdlet
{
    private const string PayloadSet = "Payload";
    private const string DeliberationSet = "Deliberation";

    // Per invocation, fixed in BeginProcessing: what every item shares.
    private MesaProfile _profile;
    private int _items;
    private MesaEnvelope? _held;

    /// <summary>The commitment type (such as offer), or turn.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CommitmentTypeCompleter))]
    public string Type { get; set; } = "";

    /// <summary>The id of the emitting principal (whose key signs).</summary>
    [Parameter(Mandatory = true, ParameterSetName = PayloadSet)]
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = DeliberationSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PrincipalIdCompleter))]
    public string EmittedBy { get; set; } = "";

    /// <summary>
    /// The payload: a hashtable, [ordered] dictionary, PSCustomObject or JSON object text. From the pipeline, one
    /// envelope per payload.
    /// </summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = PayloadSet)]
    [Parameter(Mandatory = true, ParameterSetName = DeliberationSet)]
    [AllowEmptyString]
    public object Payload { get; set; } = null!;

    /// <summary>
    /// The deliberation (v2 only): its id, or a deliberation object; from the pipeline when <c>-Payload</c> is given.
    /// </summary>
    [Parameter(ParameterSetName = PayloadSet)]
    [Parameter(ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = DeliberationSet)]
    [DeliberationIdTransformation]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DeliberationIdCompleter))]
    public string? DeliberationId { get; set; }

    /// <summary>An earlier envelope this one follows.</summary>
    [Parameter]
    public string? ParentId { get; set; }

    /// <summary>The envelope id; default evt_ and 32 hex characters. Names one envelope, so one item only.</summary>
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
    protected override void BeginProcessing()
    {
        // Resolved once for all items: the profile cannot change within one invocation.
        _profile = Profile ?? (Connection ?? ConnectionStore.Get())?.Profile ?? MesaProfile.V2;
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var payload = Payload is PSObject { BaseObject: not PSCustomObject } wrapped ? wrapped.BaseObject : Payload;
        if (ParameterSetName == PayloadSet && payload is MesaDeliberation or MesaDeliberationDetail or MesaEnvelope or MesaTurn)
        {
            // A deliberation piped without -Payload lands here: say which way round the pipeline works.
            WriteError(ErrorIds.PayloadIsNotAPayloadError(payload, Payload));
            return;
        }

        if (++_items > 1 && Id is not null)
        {
            // Two envelopes with one id would be a duplicate; refuse before anything is written.
            ThrowTerminatingError(ErrorIds.IdGivenForManyItemsError(Id));
        }

        MesaEnvelope envelope;
        try
        {
            envelope = MesaEnvelope.Create(
                Type, EmittedBy, PSValueConverter.ToPlain(payload), DeliberationId, ParentId, Id, Timestamp, _profile);
            if (Keypair is not null)
            {
                envelope = envelope.Sign(Keypair);
            }
        }
        catch (ArgumentException ex)
        {
            WriteItemError(ex, payload);
            return;
        }

        if (Id is not null)
        {
            // Held until the input ends, so a second item can still refuse the whole call with nothing written.
            _held = envelope;
            return;
        }

        WriteObject(Wrap(envelope, TypeNames.Envelope));
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (_held is not null)
        {
            WriteObject(Wrap(_held, TypeNames.Envelope));
        }
    }
}
