using Mesa.Client;

namespace Mesa.PowerShell;

/// <summary>
/// A connection to one mesa server: the client (one HttpClient, reused), the profile it speaks and whether an
/// admin token is held. Safe to use from several runspaces at once (ForEach-Object -Parallel, thread jobs).
/// The admin token itself is never exposed.
/// </summary>
public sealed class MesaConnection : IDisposable
{
    internal MesaConnection(MesaClient client, DateTimeOffset connectedAt, string serverStatus)
    {
        Client = client;
        ConnectedAt = connectedAt;
        ServerStatus = serverStatus;
    }

    /// <summary>The server's base URI.</summary>
    public Uri Uri => Client.BaseUri;

    /// <summary>The signing profile envelopes default to on this connection.</summary>
    public MesaProfile Profile => Client.Profile;

    /// <summary>Per-request timeout in seconds.</summary>
    public int TimeoutSec => (int)Math.Ceiling(Client.Timeout.TotalSeconds);

    /// <summary>How often a request is retried by default when it provably was not processed (Connect-Mesa -MaximumRetryCount).</summary>
    public int MaximumRetryCount => Client.Retry.MaximumRetryCount;

    /// <summary>The first wait between retries in seconds (Connect-Mesa -RetryIntervalSec).</summary>
    public int RetryIntervalSec => (int)Math.Ceiling(Client.Retry.RetryInterval.TotalSeconds);

    /// <summary>True when the connection carries an admin token (for Set-MesaCapability).</summary>
    public bool HasAdminToken => Client.HasAdminToken;

    /// <summary>When the connection was checked and made.</summary>
    public DateTimeOffset ConnectedAt { get; }

    /// <summary>What <c>/health</c> answered when the connection was made.</summary>
    public string ServerStatus { get; }

    /// <summary>The underlying client.</summary>
    public MesaClient Client { get; }

    /// <inheritdoc />
    public void Dispose() => Client.Dispose();

    /// <summary>The URI and profile; never the admin token.</summary>
    public override string ToString() => $"{Uri} ({Profile})";
}
