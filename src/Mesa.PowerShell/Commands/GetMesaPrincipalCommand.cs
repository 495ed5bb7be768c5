using System.Management.Automation;
using Mesa.Client;
using Mesa.PowerShell.Infrastructure;

namespace Mesa.PowerShell.Commands;

/// <summary>Gets every principal (oldest first), or the ones with the given ids.</summary>
[Cmdlet(VerbsCommon.Get, "MesaPrincipal")]
[OutputType(typeof(MesaPrincipal))]
public sealed class GetMesaPrincipalCommand : MesaConnectedCmdlet
{
    /// <summary>Principal ids (32 hex characters); omit to list them all.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[]? Id { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (Id is null)
        {
            try
            {
                foreach (var principal in Await(Client.GetPrincipalsAsync))
                {
                    WriteObject(Wrap(principal, TypeNames.Principal));
                }
            }
            catch (MesaException ex)
            {
                ThrowError(ex, null);
            }

            return;
        }

        foreach (var id in Id)
        {
            try
            {
                WriteObject(Wrap(Await(ct => Client.GetPrincipalAsync(id, ct)), TypeNames.Principal));
            }
            catch (Exception ex) when (ex is MesaException or ArgumentException)
            {
                WriteItemError(ex, id);
            }
        }
    }
}
