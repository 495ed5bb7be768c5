using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security;
using System.Security.Cryptography;
using Mesa.Client;
using Mesa.PowerShell.Infrastructure;
using Mesa.PowerShell.LocalServer;

namespace Mesa.PowerShell.Commands;

/// <summary>
/// Starts the mesa server bundled with the module on 127.0.0.1, waits until it answers, and returns it. No port picks
/// a free one; no database path means a throwaway in-memory store; no admin token means one is generated. The server
/// never outlives the session.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "MesaLocalServer", SupportsShouldProcess = true)]
[OutputType(typeof(MesaLocalServer))]
public sealed class StartMesaLocalServerCommand : MesaCmdlet
{
    /// <summary>The port on 127.0.0.1; 0 or omitted picks a free one.</summary>
    [Parameter]
    [ValidateRange(0, 65535)]
    public int Port { get; set; }

    /// <summary>A SQLite database file to keep data in (created when missing); omitted, the store lives in memory.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DatabasePath { get; set; }

    /// <summary>The admin token the server requires for Set-MesaCapability; omitted, a random one is generated.</summary>
    [Parameter]
    public SecureString? AdminToken { get; set; }

    /// <summary>Starts the server without an admin token, so admin routes answer <c>admin_disabled</c>.</summary>
    [Parameter]
    public SwitchParameter NoAdminToken { get; set; }

    /// <summary>A JSON file of policies to load at start (protocol section 8 fields).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? PolicyPath { get; set; }

    /// <summary>The protocol generation to speak: v2 (default, with deliberations) or v1.</summary>
    [Parameter]
    public MesaProfile Profile { get; set; } = MesaProfile.V2;

    /// <summary>Also makes the server this session's default connection (with its admin token and profile).</summary>
    [Parameter]
    public SwitchParameter Connect { get; set; }

    /// <summary>How long to wait for the server to report it is listening.</summary>
    [Parameter]
    [ValidateRange(1, 600)]
    public int TimeoutSec { get; set; } = 60;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (NoAdminToken && AdminToken is not null)
        {
            ThrowTerminatingError(ErrorIds.ConflictingAdminTokenError());
        }

        var databasePath = DatabasePath is null || DatabasePath == ":memory:"
            ? ":memory:"
            : SessionState.Path.GetUnresolvedProviderPathFromPSPath(DatabasePath);
        string? policyPath = null;
        if (PolicyPath is not null)
        {
            policyPath = SessionState.Path.GetUnresolvedProviderPathFromPSPath(PolicyPath);
            if (!File.Exists(policyPath))
            {
                ThrowTerminatingError(ErrorIds.PolicyFileNotFoundError(policyPath, PolicyPath));
            }
        }

        var where = Port == 0 ? "127.0.0.1 (free port)" : $"127.0.0.1:{Port}";
        if (!ShouldProcess($"mesa local server on {where}, database {databasePath}", "Start")) return;

        var serverPath = MesaLocalServer.BundledServerPath;
        var options = new LocalServerStartInfo
        {
            ServerPath = serverPath,
            Port = Port,
            DatabasePath = databasePath,
            PolicyPath = policyPath,
            Profile = Profile,
            AdminToken = NoAdminToken ? null : SecureStrings.Reveal(AdminToken) ?? NewToken(),
            StartTimeout = TimeSpan.FromSeconds(TimeoutSec),
        };

        var runspace = Runspace.DefaultRunspace;
        MesaLocalServer server;
        try
        {
            server = Await(ct => MesaLocalServer.StartAsync(options, runspace?.InstanceId ?? Guid.Empty, ct));
        }
        catch (Mesa.Client.LocalServerStartException failure)
        {
            ThrowTerminatingError(ErrorRecords.FromLocalServerStart(LocalServer.LocalServerStartException.From(failure, serverPath), where));
            return;
        }

        LocalServerRegistry.Add(server, runspace);
        WriteVerbose($"Started mesa local server {server}.");
        if (Connect)
        {
            ConnectTo(server, options.AdminToken);
        }

        WriteObject(Wrap(server, TypeNames.LocalServer));
    }

    private void ConnectTo(MesaLocalServer server, string? adminToken)
    {
        var client = new MesaClient(new MesaClientOptions { BaseUri = server.Uri, Profile = server.Profile, AdminToken = adminToken });
        try
        {
            var health = Await(client.GetHealthAsync);
            ConnectionStore.Set(new MesaConnection(client, DateTimeOffset.UtcNow, health.Status));
            WriteVerbose($"{server.Uri} is now this session's default connection.");
        }
        catch (MesaException ex)
        {
            client.Dispose();
            WriteItemError(ex, server);
        }
    }

    // 32 random bytes as hex: as strong as the server's constant-time comparison deserves.
    private static string NewToken() => Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
}
