using System.Management.Automation;
using Mesa.Client;
using Mesa.PowerShell.Infrastructure;

namespace Mesa.PowerShell.Commands;

/// <summary>Changes a deliberation's stage and/or status (reopens a closed one with <c>-Status open</c>).</summary>
[Cmdlet(VerbsCommon.Set, "MesaDeliberation", SupportsShouldProcess = true)]
[OutputType(typeof(MesaDeliberation))]
public sealed class SetMesaDeliberationCommand : MesaConnectedCmdlet
{
    /// <summary>The deliberation to change.</summary>
    /// <remarks>A turn or commitment piped in gives its <c>DeliberationId</c>; a deliberation its <c>Id</c>.</remarks>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [DeliberationIdTransformation]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DeliberationIdCompleter))]
    public string Id { get; set; } = "";

    /// <summary>The new stage.</summary>
    [Parameter]
    [ValidateSet("offer", "scope", "amendment", "signoff")]
    public string? Stage { get; set; }

    /// <summary>The new status.</summary>
    [Parameter]
    [ValidateSet("open", "closed")]
    public string? Status { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        if (Stage is null && Status is null)
        {
            ThrowTerminatingError(ErrorIds.NothingToChangeError());
        }
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var client = Client;
        var stage = Stage?.ToLowerInvariant();
        var status = Status?.ToLowerInvariant();
        var change = string.Join(", ", new[] { stage is null ? null : "stage " + stage, status is null ? null : "status " + status }.Where(s => s is not null));
        if (!ShouldProcess($"deliberation {Id}", $"Set {change}")) return;
        try
        {
            WriteObject(DeliberationOutput.Deliberation(Await(ct => client.UpdateDeliberationAsync(Id, status, stage, ct))));
        }
        catch (Exception ex) when (ex is MesaException or ArgumentException)
        {
            WriteItemError(ex, Id);
        }
    }
}
