using System.Net;
using System.Net.Sockets;
using Mesa.Client;

namespace Mesa.PowerShell.Tests;

/// <summary>
/// A loopback port nothing listens on: requests to it fail at once with a real connection error, which proves what a
/// cmdlet does on failure and shows whether it sent a request at all, with no server needed.
/// </summary>
internal static class ClosedPort
{
    public static Uri NewUri()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }

    /// <summary>A connection (as Connect-Mesa would make one) to a port nothing listens on.</summary>
    public static MesaConnection NewConnection(MesaProfile profile = MesaProfile.V2) =>
        new(new MesaClient(new MesaClientOptions { BaseUri = NewUri(), Timeout = TimeSpan.FromSeconds(10), Profile = profile }),
            DateTimeOffset.UtcNow, "ok");
}
