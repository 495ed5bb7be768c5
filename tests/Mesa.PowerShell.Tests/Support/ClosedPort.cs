using System.Net;
using System.Net.Sockets;
using Mesa.Client;

namespace Mesa.PowerShell.Tests;

/// <summary>
/// A loopback port nothing listens on: requests to it fail at once with a real connection error, which proves what a
/// cmdlet does on failure and shows whether it sent a request at all, with no server needed. The same port is what a
/// test hands a server that must bind a port of its choosing.
/// </summary>
internal static class ClosedPort
{
    /// <summary>
    /// A loopback port the OS just handed out and nobody holds: free to bind (as a server's -Port) or to fail against.
    /// </summary>
    public static int Find()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The base address of such a port.</summary>
    public static Uri NewUri() => new($"http://127.0.0.1:{Find()}/");

    /// <summary>A connection (as Connect-Mesa would make one) to a port nothing listens on.</summary>
    public static MesaConnection NewConnection(MesaProfile profile = MesaProfile.V2) =>
        new(new MesaClient(new MesaClientOptions { BaseUri = NewUri(), Timeout = TimeSpan.FromSeconds(10), Profile = profile }),
            DateTimeOffset.UtcNow, "ok");
}
