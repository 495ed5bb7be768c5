using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mesa.Client.Tests.Support;

/// <summary>
/// A real HTTP server (Kestrel) on 127.0.0.1 and a free port that answers every request with one canned status and
/// body, optionally after a delay, and records what it received. The client under test talks to it over TCP.
/// </summary>
public sealed class CannedServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    private CannedServer(WebApplication app) => _app = app;

    public Uri BaseUri { get; private set; } = null!;

    public int Status { get; set; } = 200;

    public string Body { get; set; } = "{}";

    public string ContentType { get; set; } = "application/json";

    public TimeSpan Delay { get; set; }

    /// <summary>Extra response headers (such as Location for a redirect).</summary>
    public Dictionary<string, string> ResponseHeaders { get; } = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    public RecordedRequest LastRequest => _requests.Last();

    public static async Task<CannedServer> StartAsync(int status = 200, string body = "{}", string contentType = "application/json")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new CannedServer(app) { Status = status, Body = body, ContentType = contentType };
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.BaseUri = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        return server;
    }

    /// <summary>A loopback port nothing listens on (bound, then released).</summary>
    public static Uri ClosedPortUri()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        _requests.Enqueue(new RecordedRequest(
            context.Request.Method, context.Request.Path + context.Request.QueryString, headers, body));

        // A slow answer is the behaviour under test (the test sets Delay), not a wait for something.
        if (Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return; // the client gave up, which is what the test wanted
            }
        }

        context.Response.StatusCode = Status;
        context.Response.ContentType = ContentType;
        foreach (var (name, value) in ResponseHeaders)
        {
            context.Response.Headers[name] = value;
        }

        await context.Response.WriteAsync(Body);
    }
}
