using System.Management.Automation;
using Mesa.Client;
using Mesa.PowerShell.Infrastructure;

namespace Mesa.PowerShell.Commands;

/// <summary>
/// Adds a signed turn to a deliberation's transcript: either built here (a v2 <c>turn</c> envelope with payload
/// <c>{content}</c>, signed with <c>-Keypair</c>) or given as an already signed <c>-Envelope</c>.
/// </summary>
[Cmdlet(VerbsCommon.Add, "MesaTurn", DefaultParameterSetName = EnvelopeSet, SupportsShouldProcess = true)]
[OutputType(typeof(MesaTurn))]
public sealed class AddMesaTurnCommand : MesaConnectedCmdlet
{
    private const string BuildSet = "Build";
    private const string EnvelopeSet = "Envelope";

    /// <summary>
    /// The deliberation. Bound from a piped deliberation's <c>Id</c> (alias) or an envelope's <c>DeliberationId</c>;
    /// with <c>-Envelope</c> it defaults to the envelope's own deliberation id.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = BuildSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = EnvelopeSet, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [AllowNull]
    [AllowEmptyString]
    [ArgumentCompleter(typeof(DeliberationIdCompleter))]
    public string? DeliberationId { get; set; }

    /// <summary>What the speaker says (1 to 8192 characters).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = BuildSet)]
    [ValidateNotNullOrEmpty]
    public string Content { get; set; } = "";

    /// <summary>The id of the principal speaking; it must be the owner of <c>-Keypair</c>.</summary>
    [Parameter(Mandatory = true, ParameterSetName = BuildSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PrincipalIdCompleter))]
    public string EmittedBy { get; set; } = "";

    /// <summary>The speaker's keypair, used to sign the turn.</summary>
    [Parameter(Mandatory = true, ParameterSetName = BuildSet)]
    [ValidateNotNull]
    public MesaKeypair? Keypair { get; set; }

    /// <summary>An already signed <c>turn</c> envelope (from New-MesaEnvelope -Type turn -Keypair ...).</summary>
    [Parameter(Mandatory = true, ParameterSetName = EnvelopeSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    public MesaEnvelope? Envelope { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        MesaEnvelope envelope;
        string deliberationId;
        if (ParameterSetName == EnvelopeSet)
        {
            envelope = Envelope!;
            if (!envelope.IsSigned)
            {
                WriteError(ErrorIds.EnvelopeNotSignedError(envelope, "sent", "use -Content -EmittedBy -Keypair to let Add-MesaTurn build and sign the turn"));
                return;
            }

            var target = string.IsNullOrEmpty(DeliberationId) ? envelope.DeliberationId : DeliberationId;
            if (string.IsNullOrEmpty(target))
            {
                WriteError(ErrorIds.NoDeliberationIdError(envelope));
                return;
            }

            deliberationId = target;
        }
        else
        {
            if (string.IsNullOrEmpty(DeliberationId))
            {
                // Only a piped object whose Id/DeliberationId is empty gets here; the binder refuses a missing one.
                WriteError(ErrorIds.NoDeliberationIdError(null));
                return;
            }

            deliberationId = DeliberationId;
            try
            {
                // Turns exist only in profile v2; the deliberation id is signed so the server can check it matches.
                envelope = MesaEnvelope.Create(
                    "turn", EmittedBy, new Dictionary<string, object?> { ["content"] = Content }, deliberationId, profile: MesaProfile.V2)
                    .Sign(Keypair!);
            }
            catch (ArgumentException ex)
            {
                WriteItemError(ex, Content);
                return;
            }
        }

        // The connection is resolved only now: a bad envelope is reported as such even without one.
        var client = Client;
        if (!ShouldProcess($"deliberation {deliberationId}", $"Add turn {envelope.Id} from {envelope.EmittedBy}")) return;
        try
        {
            WriteObject(DeliberationOutput.Turn(Await(ct => client.AddTurnAsync(deliberationId, envelope, ct))));
        }
        catch (Exception ex) when (ex is MesaException or ArgumentException)
        {
            WriteItemError(ex, envelope);
        }
    }
}
