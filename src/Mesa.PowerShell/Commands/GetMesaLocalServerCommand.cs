using System.Management.Automation;
using System.Management.Automation.Runspaces;
using Mesa.PowerShell.Infrastructure;
using Mesa.PowerShell.LocalServer;

namespace Mesa.PowerShell.Commands;

/// <summary>Lists the local servers this session started, each checked for whether it still answers (<c>Responding</c>).</summary>
[Cmdlet(VerbsCommon.Get, "MesaLocalServer")]
[OutputType(typeof(MesaLocalServer))]
public sealed class GetMesaLocalServerCommand : MesaCmdlet
{
    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var server in LocalServerRegistry.OwnedBy(Runspace.DefaultRunspace?.InstanceId ?? Guid.Empty))
        {
            Await(ct => server.PingAsync(TimeSpan.FromSeconds(5), ct));
            WriteObject(Wrap(server, TypeNames.LocalServer));
        }
    }
}
