using System.Management.Automation;
using Mesa.Client;
using Mesa.PowerShell.Infrastructure;

namespace Mesa.PowerShell.Commands;

/// <summary>
/// Lists the commitments made in deliberations (oldest first), from each deliberation's detail
/// (<c>GET /deliberations/{id}</c>: the server has no route of its own for them), optionally only those of a status,
/// type or principal. Profile v2 only: v1 servers have no deliberations.
/// </summary>
[Cmdlet(VerbsCommon.Get, "MesaCommitment")]
[OutputType(typeof(MesaCommitmentSummary))]
public sealed class GetMesaCommitmentCommand : MesaConnectedCmdlet
{
    /// <summary>
    /// The deliberations whose commitments to list: ids, or deliberation objects from the pipeline (their <c>Id</c>);
    /// a turn or commitment piped in gives its <c>DeliberationId</c>.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [DeliberationIdTransformation]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DeliberationIdCompleter))]
    public string[] DeliberationId { get; set; } = [];

    /// <summary>Only commitments with this status: <c>active</c> or <c>flagged</c>.</summary>
    [Parameter]
    [ValidateSet("active", "flagged")]
    public string? Status { get; set; }

    /// <summary>Only commitments of these types (such as offer; wildcards allowed).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CommitmentTypeCompleter))]
    public string[]? Type { get; set; }

    /// <summary>Only commitments emitted by these principals.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PrincipalIdCompleter))]
    public string[]? PrincipalId { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var connection = ResolveConnection();
        if (connection.Profile == MesaProfile.V1)
        {
            ThrowTerminatingError(ErrorIds.DeliberationsNotSupportedError(connection.Uri));
        }

        var status = Status?.ToLowerInvariant();
        var types = Type?.Select(NameMatch.Create).ToArray();
        var principals = PrincipalId is null ? null : new HashSet<string>(PrincipalId.Select(p => p.Trim()), StringComparer.OrdinalIgnoreCase);
        foreach (var id in DeliberationId)
        {
            MesaDeliberationDetail detail;
            try
            {
                detail = Await(ct => connection.Client.GetDeliberationAsync(id, ct));
            }
            catch (MesaNotFoundException ex)
            {
                WriteError(NotFoundErrors.For(ex, "deliberation", id, "Get-MesaDeliberation"));
                continue;
            }
            catch (Exception ex) when (ex is MesaException or ArgumentException)
            {
                WriteItemError(ex, id);
                continue;
            }

            foreach (var commitment in detail.Commitments)
            {
                if (status is not null && !string.Equals(commitment.Status, status, StringComparison.Ordinal)) continue;
                if (types is not null && !types.Any(t => t(commitment.Type))) continue;
                if (principals is not null && !principals.Contains(commitment.PrincipalId)) continue;
                // Mesa.DeliberationCommitment first: the one PSTypeName that selects a view (a summary's second one).
                WriteObject(ModuleOutput.Wrap(DeliberationOutput.Commitment(commitment), TypeNames.DeliberationCommitment));
            }
        }
    }
}
