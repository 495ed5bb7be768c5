using System.Security;
using Mesa.Client;
using Mesa.PowerShell.Infrastructure;

namespace Mesa.PowerShell;

/// <summary>
/// A bundled mesa server this session started (Start-MesaLocalServer). It lives no longer than the session: it is
/// stopped by Stop-MesaLocalServer, when the module is removed, when the runspace closes, and when pwsh exits; if
/// pwsh is killed, the server notices its parent is gone and exits by itself. Its properties bind by name to
/// Connect-Mesa (Uri, AdminToken, Profile). The admin token is never shown.
/// </summary>
public sealed class MesaLocalServer
{
    // A clean stop (SIGTERM) takes well under a second; a server that does not manage it in this time is killed.
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    private readonly LocalServerProcess _process;
    private readonly SecureString? _adminToken;
    private readonly object _gate = new();
    private bool _stopped;

    private MesaLocalServer(
        LocalServerProcess process, string databasePath, string? policyPath, MesaProfile profile,
        SecureString? adminToken, Guid ownerRunspaceId)
    {
        _process = process;
        ProcessId = process.ProcessId;
        Uri = process.Uri;
        DatabasePath = databasePath;
        PolicyPath = policyPath;
        Profile = profile;
        _adminToken = adminToken;
        OwnerRunspaceId = ownerRunspaceId;
        StartedAt = DateTimeOffset.Now;
        Responding = true;
    }

    /// <summary>Where the bundled server lives: next to the module.</summary>
    internal static string BundledServerPath =>
        Path.Combine(ModuleInitializer.ModuleDirectory, "LocalServer", "Mesa.LocalServer.dll");

    /// <summary>The server's address, such as http://127.0.0.1:41234/.</summary>
    public Uri Uri { get; }

    /// <summary>The TCP port it listens on (127.0.0.1 only).</summary>
    public int Port => Uri.Port;

    /// <summary>The server's process id.</summary>
    public int ProcessId { get; }

    /// <summary>The SQLite database file, or <c>:memory:</c> for a throwaway store.</summary>
    public string DatabasePath { get; }

    /// <summary>The policies file loaded at start, if any.</summary>
    public string? PolicyPath { get; }

    /// <summary>The protocol generation the server speaks.</summary>
    public MesaProfile Profile { get; }

    /// <summary>
    /// The server's admin token (a copy each time; null when started with -NoAdminToken). Read it with
    /// <c>ConvertFrom-SecureString -AsPlainText</c> only where it is needed.
    /// </summary>
    public SecureString? AdminToken => _adminToken?.Copy();

    /// <summary>When it was started.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>True once the process has ended (stopped, or died).</summary>
    public bool HasExited
    {
        get
        {
            lock (_gate)
            {
                return _stopped || _process.HasExited;
            }
        }
    }

    /// <summary>Whether <c>/health</c> answered the last time it was asked (at start, or by Get-MesaLocalServer).</summary>
    public bool Responding { get; internal set; }

    /// <summary>The last lines the server wrote (stdout and stderr), for finding out why it misbehaved.</summary>
    public string[] RecentOutput => _process.Output.Lines.ToArray();

    /// <summary>The runspace that started it; "every server this session started" means this runspace's.</summary>
    internal Guid OwnerRunspaceId { get; }

    /// <summary>
    /// Starts the bundled server (<see cref="BundledServerPath"/>) as <paramref name="info"/> says and waits until it
    /// answers; <see cref="LocalServerProcess.StartAsync"/> throws when it does not.
    /// </summary>
    internal static async Task<MesaLocalServer> StartAsync(LocalServerStartInfo info, Guid ownerRunspaceId, CancellationToken cancellationToken)
    {
        var process = await LocalServerProcess.StartAsync(info, cancellationToken).ConfigureAwait(false);
        return new MesaLocalServer(
            process, info.DatabasePath ?? LocalServerContract.InMemoryDatabase, info.PolicyPath, info.Profile ?? MesaProfile.V2,
            info.AdminToken is null ? null : SecureStrings.Protect(info.AdminToken), ownerRunspaceId);
    }

    /// <summary>Asks <c>/health</c> and records whether it answered.</summary>
    internal async Task<bool> PingAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (HasExited)
        {
            Responding = false;
            return false;
        }

        using var client = new MesaClient(new MesaClientOptions { BaseUri = Uri, Timeout = timeout, Profile = Profile });
        try
        {
            var health = await client.GetHealthAsync(cancellationToken).ConfigureAwait(false);
            Responding = string.Equals(health.Status, "ok", StringComparison.OrdinalIgnoreCase);
        }
        catch (MesaException)
        {
            Responding = false;
        }

        return Responding;
    }

    /// <summary>
    /// Stops the process (SIGTERM, then its whole tree killed when it lingers) and waits for it to be gone. Safe to
    /// call more than once.
    /// </summary>
    internal void Stop()
    {
        lock (_gate)
        {
            if (_stopped) return;
            _stopped = true;
            Responding = false;
            _process.Stop(StopGrace);
            _process.Dispose();
        }
    }

    /// <summary>The address and process id; never the admin token.</summary>
    public override string ToString() => $"{Uri} (pid {ProcessId}, {Profile})";
}
