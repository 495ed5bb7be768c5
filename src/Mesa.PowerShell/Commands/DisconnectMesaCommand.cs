using System.Management.Automation;
using Mesa.PowerShell.Infrastructure;

namespace Mesa.PowerShell.Commands;

/// <summary>
/// Forgets this session's default connection, so cmdlets without <c>-Connection</c> ask for <c>Connect-Mesa</c> again.
/// </summary>
/// <remarks>
/// The connection object is not disposed: it may still be held in a variable or used by another runspace
/// (<c>-Connection $c</c> in <c>ForEach-Object -Parallel</c>), and its idle sockets close on their own.
/// </remarks>
[Cmdlet(VerbsCommunications.Disconnect, "Mesa", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(MesaConnection))]
public sealed class DisconnectMesaCommand : MesaCmdlet
{
    /// <summary>Writes the connection that was the default to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var current = ConnectionStore.GetDefault();
        if (current is null)
        {
            WriteVerbose("This session has no default mesa connection; nothing to disconnect.");
            return;
        }

        if (!ShouldProcess(current.ToString(), "Forget the default mesa connection"))
        {
            return;
        }

        ConnectionStore.Set(null);
        WriteVerbose($"Disconnected from {current.Uri}; run Connect-Mesa to make a new default connection.");
        if (PassThru)
        {
            WriteObject(Wrap(current, TypeNames.Connection));
        }
    }
}
