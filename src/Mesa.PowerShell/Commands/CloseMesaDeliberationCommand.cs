using System.Management.Automation;
using Mesa.Client;
using Mesa.PowerShell.Infrastructure;

namespace Mesa.PowerShell.Commands;

/// <summary>
/// Closes a deliberation: turns and commitments are refused on it until it is reopened
/// (<c>Set-MesaDeliberation -Status open</c>). Returns the closed deliberation.
/// </summary>
[Cmdlet(VerbsCommon.Close, "MesaDeliberation", SupportsShouldProcess = true)]
[OutputType(typeof(MesaDeliberation))]
public sealed class CloseMesaDeliberationCommand : MesaConnectedCmdlet
{
    /// <summary>The deliberation to close.</summary>
    /// <remarks>A turn or commitment piped in gives its <c>DeliberationId</c>; a deliberation its <c>Id</c>.</remarks>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [DeliberationIdTransformation]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DeliberationIdCompleter))]
    public string Id { get; set; } = "";

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var client = Client;
        if (!ShouldProcess($"deliberation {Id}", "Close")) return;
        try
        {
            WriteObject(DeliberationOutput.Deliberation(Await(ct => client.UpdateDeliberationAsync(Id, "closed", null, ct))));
        }
        catch (Exception ex) when (ex is MesaException or ArgumentException)
        {
            WriteItemError(ex, Id);
        }
    }
}
