using Microsoft.Extensions.Hosting;

namespace Mesa.LocalServer.Hosting;

/// <summary>Builds the catalog and opens the store when the host starts, so a broken setup fails at start, not on the first request.</summary>
internal sealed class ServerInitializer(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        MesaServerApp.Initialize(services);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
