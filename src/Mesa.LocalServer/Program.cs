using System.Net.Sockets;
using Mesa.LocalServer.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Mesa.LocalServer;

/// <summary>
/// The entry point: <c>dotnet Mesa.LocalServer.dll [--urls URL] [--db PATH] [--admin-token TOKEN] [--policies FILE]
/// [--schemas DIR] [--protocol v1|v2]</c>. Prints one ready line on stdout; a configuration problem is one message on
/// stderr and exit code 2; Ctrl+C or SIGTERM stop it cleanly (exit 0).
/// </summary>
public sealed class Program
{
    private Program()
    {
    }

    /// <summary>The first stdout line once the server accepts requests, followed by its URL.</summary>
    public const string ReadyPrefix = "Mesa local server listening on ";

    /// <summary>Exit code for a configuration or start-up problem.</summary>
    public const int StartupFailureExitCode = 2;

    /// <summary>Runs the server until it is stopped.</summary>
    public static async Task<int> Main(string[] args)
    {
        if (ServerOptionsParser.IsHelpRequest(args))
        {
            Console.Out.WriteLine(ServerOptionsParser.Usage);
            return 0;
        }

        Http.NativeHeap.UseMmapForLargeBlocks();
        WebApplication app;
        ServerOptions options;
        try
        {
            options = ServerOptionsParser.Parse(args, Environment.GetEnvironmentVariable);
            app = MesaServerApp.Build(options);
            MesaServerApp.Initialize(app.Services);
        }
        catch (StartupException ex)
        {
            return Fail(ex.Message);
        }

        await using (app)
        {
            try
            {
                await app.StartAsync();
            }
            catch (Exception ex) when (ex is IOException or SocketException)
            {
                var url = ServerOptionsParser.Parse(args, Environment.GetEnvironmentVariable).Listen.ToUrl();
                var inUse = ex is IOException { InnerException: SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } }
                    || (ex as SocketException)?.SocketErrorCode == SocketError.AddressAlreadyInUse
                    || ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase);
                return Fail(inUse
                    ? $"cannot listen on {url}: the port is already in use (another server?). Choose another port with --urls, or port 0 for a free one."
                    : $"cannot listen on {url}: {ex.Message}");
            }
            catch (StartupException ex)
            {
                return Fail(ex.Message);
            }

            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
            var port = address is null ? options.Listen.Port : new Uri(address).Port;
            Console.Out.WriteLine(ReadyPrefix + options.Listen.ToUrl(port));
            Console.Out.Flush();
            await app.WaitForShutdownAsync();
        }

        return 0;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine("Mesa.LocalServer: " + message);
        Console.Error.WriteLine("Run 'dotnet Mesa.LocalServer.dll --help' for the options.");
        return StartupFailureExitCode;
    }
}
