using Mesa.Client;

namespace Mesa.PowerShell.LocalServer;

/// <summary>How to start a bundled server. Paths are absolute (or <c>:memory:</c> for the database).</summary>
internal sealed record LocalServerOptions
{
    /// <summary>The port on 127.0.0.1; 0 lets the OS pick a free one.</summary>
    public int Port { get; init; }

    public string DatabasePath { get; init; } = ":memory:";

    public string? PolicyPath { get; init; }

    public MesaProfile Profile { get; init; } = MesaProfile.V2;

    /// <summary>Handed to the child in its environment only; null starts a server with admin disabled.</summary>
    public string? AdminToken { get; init; }

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
