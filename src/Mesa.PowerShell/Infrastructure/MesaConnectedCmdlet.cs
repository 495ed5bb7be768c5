using System.Management.Automation;
using Mesa.Client;

namespace Mesa.PowerShell.Infrastructure;

/// <summary>Base of cmdlets that talk to a server: <c>-Connection</c>, else the session default.</summary>
public abstract class MesaConnectedCmdlet : MesaCmdlet
{
    /// <summary>The connection to use; without it, the one <c>Connect-Mesa</c> made the default.</summary>
    [Parameter]
    public MesaConnection? Connection { get; set; }

    /// <summary>The connection in effect; a terminating <c>NoConnection</c> error when there is none.</summary>
    protected MesaConnection ResolveConnection()
    {
        var connection = Connection ?? ConnectionStore.Get();
        if (connection is null)
        {
            ThrowError(
                "There is no mesa connection. Run Connect-Mesa -Uri <server> first (or set $env:MESA_URL), or pass -Connection.",
                "NoConnection", ErrorCategory.ConnectionError, null,
                "Connect-Mesa -Uri http://127.0.0.1:8000");
        }

        return connection!;
    }

    /// <summary>The client of the connection in effect.</summary>
    protected MesaClient Client => ResolveConnection().Client;
}
