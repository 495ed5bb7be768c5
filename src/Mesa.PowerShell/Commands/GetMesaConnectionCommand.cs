using System.Management.Automation;
using Mesa.PowerShell.Infrastructure;

namespace Mesa.PowerShell.Commands;

/// <summary>Gets this session's default connection (the one <c>Connect-Mesa</c> made); nothing when there is none.</summary>
[Cmdlet(VerbsCommon.Get, "MesaConnection")]
[OutputType(typeof(MesaConnection))]
public sealed class GetMesaConnectionCommand : MesaCmdlet
{
    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var current = ConnectionStore.Get();
        if (current is null)
        {
            WriteVerbose("This session has no default mesa connection; run Connect-Mesa to make one.");
            return;
        }

        WriteObject(Wrap(current, TypeNames.Connection));
    }
}
