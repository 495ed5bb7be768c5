using System.Net.Sockets;
using Mesa.Client;
using Mesa.LocalServer.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Mesa.LocalServer;

/// <summary>
/// The entry point: <c>dotnet Mesa.LocalServer.dll [--urls URL] [--db PATH] [--admin-token TOKEN] [--policies FILE]
/// [--schemas DIR] [--protocol v1|v2] [--parent-pid PID]</c>. Prints one ready line on stdout; a configuration problem
/// is one message on stderr and exit code 2; Ctrl+C or SIGTERM stop it cleanly (exit 0). The names, the ready line and
/// the exit codes are <see cref="LocalServerContract"/> and <see cref="LocalServerReadyLine"/>.
/// </summary>
public sealed class Program
{
    private Program()
    {
    }

    /// <summary>Runs the server until it is stopped.</summary>
    public static async Task<int> Main(string[] args)
    {
        if (ServerOptionsParser.IsHelpRequest(args))
        {
            Console.Out.WriteLine(ServerOptionsParser.Usage);
            return LocalServerContract.ExitCodeStopped;
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
            Console.Out.WriteLine(LocalServerReadyLine.Format(options.Listen.ToUrl(port)));
            Console.Out.Flush();
            await app.WaitForShutdownAsync();
        }

        return LocalServerContract.ExitCodeStopped;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(LocalServerContract.DiagnosticPrefix + message);
        Console.Error.WriteLine("Run 'dotnet Mesa.LocalServer.dll " + LocalServerContract.HelpOption + "' for the options.");
        return LocalServerContract.ExitCodeStartupFailure;
    }
}
