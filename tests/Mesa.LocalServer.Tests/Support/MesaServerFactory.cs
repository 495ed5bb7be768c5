using Mesa.LocalServer.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace Mesa.LocalServer.Tests.Support;

/// <summary>
/// Hosts the server in process (the TestServer of Microsoft.AspNetCore.Mvc.Testing) with the given options, wired by the
/// same <see cref="MesaServerApp"/> calls the real entry point makes.
/// </summary>
public sealed class MesaServerFactory(ServerOptions options) : WebApplicationFactory<Program>
{
    public ServerOptions Options { get; } = options;

    protected override IHostBuilder CreateHostBuilder() =>
        new HostBuilder().ConfigureWebHost(web => web
            .UseContentRoot(AppContext.BaseDirectory)
            .ConfigureServices(services => MesaServerApp.AddServices(services, Options))
            .Configure(app =>
            {
                MesaServerApp.UsePipeline(app);
                app.UseEndpoints(endpoints => MesaServerApp.MapEndpoints(endpoints, Options));
            }));

    protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.UseContentRoot(AppContext.BaseDirectory);
}
