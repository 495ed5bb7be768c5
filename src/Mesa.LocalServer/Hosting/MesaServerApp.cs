using Mesa.Client;
using Mesa.LocalServer.Endpoints;
using Mesa.LocalServer.Envelopes;
using Mesa.LocalServer.Http;
using Mesa.LocalServer.Policies;
using Mesa.LocalServer.Schemas;
using Mesa.LocalServer.Storage;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Hosting;

namespace Mesa.LocalServer.Hosting;

/// <summary>Assembles the server: services, the request pipeline, and the minimal API routes.</summary>
public static class MesaServerApp
{
    /// <summary>Builds the Kestrel application for <paramref name="options"/> (not started).</summary>
    public static WebApplication Build(ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = Array.Empty<string>(),
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });

        // Stdout carries only the ready line; warnings and errors go to stderr.
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None); // start failures are reported by Program, in one line
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // The body limits, explicit: RequestBodyReader answers 413/408 for them (README "Local server").
            kestrel.Limits.MaxRequestBodySize = RequestBodyReader.MaxBodyBytes;
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(RequestBodyReader.MinBodyBytesPerSecond, RequestBodyReader.MinBodyRateGracePeriod);
            kestrel.Limits.MaxRequestBufferSize = RequestBodyReader.MaxBufferedBodyBytes;
            kestrel.Listen(options.Listen.Address, options.Listen.Port);
        });

        AddServices(builder.Services, options);
        var app = builder.Build();
        UsePipeline(app);
        MapEndpoints(app, options);
        return app;
    }

    /// <summary>Registers the server's services for <paramref name="options"/>.</summary>
    public static void AddServices(IServiceCollection services, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.AddSingleton(_ => CommitmentTypeCatalog.Load(options.SchemaDirectories, options.Protocol));
        services.AddSingleton(_ => OpenStore(options));
        services.AddSingleton(new RouteTable(options.Protocol));
        services.AddSingleton<AdminGate>();
        services.AddSingleton<LargeBodyGate>();
        services.AddSingleton<EnvelopeVerifier>();
        services.AddSingleton<PrincipalEndpoints>();
        services.AddSingleton<CommitmentEndpoints>();
        services.AddSingleton<DeliberationEndpoints>();
        services.AddSingleton<LocalPolicyEndpoints>();
        services.AddHostedService<ServerInitializer>();
        services.AddHostedService<ParentProcessWatchdog>();
        services.AddRouting();
    }

    /// <summary>Adds the middleware, ending with routing (endpoints are mapped by <see cref="MapEndpoints"/>).</summary>
    public static void UsePipeline(IApplicationBuilder app)
    {
        app.UseMiddleware<ApiErrorMiddleware>();
        app.UseMiddleware<UpstreamRoutingMiddleware>();
        app.UseRouting();
    }

    /// <summary>
    /// Maps the routes of <see cref="MesaRoutes"/> a server of the options' profile has (deliberation routes in v2 only),
    /// and the local-only <c>/_local/policies</c> extension, each to its handler (<see cref="EndpointMap"/>).
    /// </summary>
    public static void MapEndpoints(IEndpointRouteBuilder endpoints, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var route in EndpointMap.Served(options.Protocol))
        {
            endpoints.MapMethods(route.Template, new[] { route.Method }, EndpointMap.HandlerOf(route));
        }
    }

    /// <summary>Loads the commitment types, the policies file and the store now (idempotent).</summary>
    /// <exception cref="StartupException">Something in the configuration is broken.</exception>
    public static void Initialize(IServiceProvider services)
    {
        services.GetRequiredService<CommitmentTypeCatalog>();
        services.GetRequiredService<MesaStore>();
    }

    private static MesaStore OpenStore(ServerOptions options)
    {
        // The policies file is checked before the database is touched, so a broken file changes nothing.
        var policies = options.PoliciesFile is null ? null : PolicyFileLoader.Load(options.PoliciesFile);
        var store = MesaStore.Open(options.DatabasePath, options.Protocol);
        try
        {
            if (policies is not null) store.ReplaceFilePolicies(policies);
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }
}
