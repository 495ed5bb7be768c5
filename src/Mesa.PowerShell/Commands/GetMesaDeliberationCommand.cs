using System.Management.Automation;
using Mesa.Client;
using Mesa.PowerShell.Infrastructure;

namespace Mesa.PowerShell.Commands;

/// <summary>
/// Lists deliberations (oldest first, optionally only open or closed ones), or, given ids, gets each one's detail:
/// its turns by index and its commitments.
/// </summary>
[Cmdlet(VerbsCommon.Get, "MesaDeliberation")]
[OutputType(typeof(MesaDeliberation), typeof(MesaDeliberationDetail))]
public sealed class GetMesaDeliberationCommand : MesaConnectedCmdlet
{
    /// <summary>The deliberations to get in detail; without it, the list.</summary>
    /// <remarks>
    /// A turn, commitment or envelope piped in gives its <c>DeliberationId</c> (not its own <c>Id</c>); a
    /// deliberation gives its <c>Id</c>.
    /// </remarks>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [DeliberationIdTransformation]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DeliberationIdCompleter))]
    public string[]? Id { get; set; }

    /// <summary>Only deliberations with this status (with <c>-Id</c>, details of other statuses are skipped).</summary>
    [Parameter]
    [ValidateSet("open", "closed")]
    public string? Status { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var client = Client;
        var status = Status?.ToLowerInvariant();
        if (Id is null)
        {
            try
            {
                foreach (var deliberation in Await(ct => client.GetDeliberationsAsync(status, ct)))
                {
                    WriteObject(DeliberationOutput.Deliberation(deliberation));
                }
            }
            catch (MesaException ex)
            {
                ThrowError(ex, status);
            }

            return;
        }

        foreach (var id in Id)
        {
            try
            {
                var detail = Await(ct => client.GetDeliberationAsync(id, ct));
                if (status is null || string.Equals(detail.Status, status, StringComparison.Ordinal))
                {
                    WriteObject(DeliberationOutput.Detail(detail));
                }
            }
            catch (Exception ex) when (ex is MesaException or ArgumentException)
            {
                WriteItemError(ex, id);
            }
        }
    }
}
