using Mesa.Client;

namespace Mesa.LocalServer.Tests.Support;

/// <summary>What the tests ask of a running <see cref="LocalServerProcess"/>.</summary>
public static class LocalServerProcessExtensions
{
    /// <summary>A client for this server.</summary>
    public static MesaClient CreateClient(this LocalServerProcess server, string? adminToken = null, MesaProfile profile = MesaProfile.V2, TimeSpan? timeout = null) =>
        new(new MesaClientOptions { BaseUri = server.Uri, AdminToken = adminToken, Profile = profile, Timeout = timeout ?? TimeSpan.FromSeconds(30) });

    /// <summary>Everything the server wrote to stdout so far (the ready line first).</summary>
    public static string StandardOutputText(this LocalServerProcess server) => TestServer.Text(server.Output.StandardOutput);

    /// <summary>Everything the server wrote to stderr so far.</summary>
    public static string StandardErrorText(this LocalServerProcess server) => TestServer.Text(server.Output.StandardError);

    /// <summary>Asks the process to stop with SIGTERM and returns its exit code (killed after 30 s; then the code is not 0).</summary>
    public static Task<int?> TerminateAsync(this LocalServerProcess server) => server.StopAsync(TimeSpan.FromSeconds(30));
}
