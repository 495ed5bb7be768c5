using System.Management.Automation;
using System.Security;
using Mesa.Client;
using Mesa.PowerShell.Infrastructure;

namespace Mesa.PowerShell.Commands;

/// <summary>
/// Sets the commitment types a principal may emit: replaces the list, or with <c>-Add</c>/<c>-Remove</c> changes
/// the current one (read first). Needs the server's admin token, from <c>-AdminToken</c> or the connection.
/// Returns the updated principal.
/// </summary>
[Cmdlet(VerbsCommon.Set, "MesaCapability", SupportsShouldProcess = true, DefaultParameterSetName = ReplaceSet)]
[OutputType(typeof(MesaPrincipal))]
public sealed class SetMesaCapabilityCommand : MesaConnectedCmdlet
{
    private const string ReplaceSet = "Replace";
    private const string AddSet = "Add";
    private const string RemoveSet = "Remove";

    /// <summary>The principal's id; binds the <c>Id</c> of principals from the pipeline.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PrincipalIdCompleter))]
    public string PrincipalId { get; set; } = "";

    /// <summary>Commitment types, such as offer or counter (tab completion offers the known ones).</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [AllowEmptyCollection]
    [ArgumentCompleter(typeof(CommitmentTypeCompleter))]
    public string[] Capability { get; set; } = [];

    /// <summary>Adds the types to the principal's current ones instead of replacing them.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AddSet)]
    public SwitchParameter Add { get; set; }

    /// <summary>Removes the types from the principal's current ones instead of replacing them.</summary>
    [Parameter(Mandatory = true, ParameterSetName = RemoveSet)]
    public SwitchParameter Remove { get; set; }

    /// <summary>The server's admin token; without it the connection's (Connect-Mesa -AdminToken or $env:MESA_ADMIN_TOKEN).</summary>
    [Parameter]
    public SecureString? AdminToken { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        try
        {
            var capabilities = Capability.Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c.Trim()).Distinct(StringComparer.Ordinal).ToList();
            if (Add || Remove)
            {
                var current = Await(ct => Client.GetPrincipalAsync(PrincipalId, ct)).Capabilities;
                capabilities = Add
                    ? current.Concat(capabilities.Where(c => !current.Contains(c, StringComparer.Ordinal))).ToList()
                    : current.Where(c => !capabilities.Contains(c, StringComparer.Ordinal)).ToList();
            }

            var description = capabilities.Count == 0 ? "(none)" : string.Join(", ", capabilities);
            if (!ShouldProcess(PrincipalId, $"Set capabilities to {description}"))
            {
                return;
            }

            var token = SecureStrings.Reveal(AdminToken);
            var principal = Await(ct => Client.SetCapabilitiesAsync(PrincipalId, capabilities, token, ct));
            WriteObject(Wrap(principal, TypeNames.Principal));
        }
        catch (Exception ex) when (ex is MesaException or ArgumentException)
        {
            WriteItemError(ex, PrincipalId);
        }
    }
}
