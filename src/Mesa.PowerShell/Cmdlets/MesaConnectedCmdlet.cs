using System.Management.Automation;
using Mesa.Client;

namespace Mesa.PowerShell.Infrastructure;

/// <summary>Base of cmdlets that talk to a server: <c>-Connection</c>, else the session default.</summary>
public abstract class MesaConnectedCmdlet : MesaCmdlet
{
    /// <summary>The connection to use; without it, the one <c>Connect-Mesa</c> made the default, else <c>$env:MESA_URL</c>.</summary>
    [Parameter]
    public virtual MesaConnection? Connection { get; set; }

    /// <summary>
    /// The connection in effect: <c>-Connection</c>, else the Connect-Mesa default, else the implicit connection
    /// from <c>$env:MESA_URL</c> (checked once); a terminating <c>NoConnection</c> error when there is none.
    /// </summary>
    protected MesaConnection ResolveConnection()
    {
        var connection = Connection ?? ConnectionStore.GetDefault() ?? ResolveEnvironmentConnection();
        if (connection is null)
        {
            ThrowTerminatingError(ErrorIds.NoConnectionError());
        }

        return connection!;
    }

    /// <summary>The client of the connection in effect.</summary>
    protected MesaClient Client => ResolveConnection().Client;

    /// <summary>
    /// The implicit connection from the environment, its server checked the first time (<c>/health</c>, then the
    /// admin token when one is set); null when <c>$env:MESA_URL</c> is not set. A check that fails is a terminating
    /// error naming the variable, and is tried again by the next cmdlet.
    /// </summary>
    private MesaConnection? ResolveEnvironmentConnection()
    {
        EnvironmentConnectionEntry? entry;
        try
        {
            entry = EnvironmentConnection.Get();
        }
        catch (ArgumentException ex)
        {
            ThrowTerminatingError(ErrorIds.InvalidEnvironmentConnectionError(ex));
            return null;
        }

        if (entry is null) return null;
        if (entry.Verified) return entry.Connection;

        var client = entry.Connection.Client;
        MesaHealth health;
        try
        {
            health = Await(client.GetHealthAsync);
        }
        catch (MesaException ex)
        {
            var message = $"$env:MESA_URL names {client.BaseUri}, but no mesa server answered there: {ex.Message}";
            var record = ErrorRecords.From(ex, client.BaseUri);
            record.ErrorDetails = new ErrorDetails(message)
            {
                RecommendedAction = "Start the server, or set $env:MESA_URL to the right address, or run Connect-Mesa -Uri <server>.",
            };
            ThrowTerminatingError(record);
            return null;
        }

        if (client.HasAdminToken) CheckAdminToken(client, "from $env:MESA_ADMIN_TOKEN");
        var verified = EnvironmentConnection.MarkVerified(entry, health.Status);
        WriteVerbose($"Using {verified.Uri} ({verified.Profile}) from $env:MESA_URL: no Connect-Mesa default in this session.");
        return verified;
    }
}
