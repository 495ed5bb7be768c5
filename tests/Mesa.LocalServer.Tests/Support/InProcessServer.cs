using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Mesa.Client;
using Mesa.LocalServer.Hosting;

namespace Mesa.LocalServer.Tests.Support;

/// <summary>
/// An in-process server with helpers: raw JSON requests, a <see cref="MesaClient"/> bound to the test host, and shortcuts
/// to register principals, grant capabilities, open deliberations and sign envelopes.
/// </summary>
public sealed class InProcessServer : IDisposable
{
    public const string AdminToken = "test-admin-token-7f3a";

    private readonly MesaServerFactory _factory;

    public InProcessServer(ServerOptions? options = null)
    {
        Options = options ?? new ServerOptions { DatabasePath = ServerOptions.InMemoryDatabase, AdminToken = AdminToken };
        _factory = new MesaServerFactory(Options);
        Http = _factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Client = new MesaClient(new MesaClientOptions
        {
            BaseUri = _factory.Server.BaseAddress,
            Handler = _factory.Server.CreateHandler(),
            AdminToken = Options.AdminToken,
            Profile = Options.Protocol,
        });
    }

    public ServerOptions Options { get; }

    public HttpClient Http { get; }

    public MesaClient Client { get; }

    public IServiceProvider Services => _factory.Services;

    public MesaProfile Profile => Options.Protocol;

    /// <summary>Sends <paramref name="json"/> (as is) with a JSON content type.</summary>
    public Task<ApiResponse> SendAsync(HttpMethod method, string path, string? json = null, string? adminToken = null, string contentType = "application/json") =>
        SendBytesAsync(method, path, json is null ? null : Encoding.UTF8.GetBytes(json), adminToken, contentType);

    public async Task<ApiResponse> SendBytesAsync(HttpMethod method, string path, byte[]? body, string? adminToken = null, string? contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            if (contentType is not null) request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        if (adminToken is not null) request.Headers.TryAddWithoutValidation("X-Admin-Token", adminToken);
        var response = await Http.SendAsync(request);
        return new ApiResponse(response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    public Task<ApiResponse> GetAsync(string path, string? adminToken = null) => SendAsync(HttpMethod.Get, path, null, adminToken);

    public Task<ApiResponse> PostAsync(string path, object body, string? adminToken = null) => SendAsync(HttpMethod.Post, path, ToJson(body), adminToken);

    public Task<ApiResponse> PostEnvelopeAsync(MesaEnvelope envelope) => SendAsync(HttpMethod.Post, "/commitments", envelope.ToWireJson());

    public Task<ApiResponse> PostTurnAsync(string deliberationId, MesaEnvelope envelope) =>
        SendAsync(HttpMethod.Post, $"/deliberations/{deliberationId}/turns", envelope.ToWireJson());

    /// <summary>Registers a new principal and grants it <paramref name="capabilities"/>.</summary>
    public async Task<Principal> RegisterAsync(params string[] capabilities)
    {
        var keys = MesaKeypair.Generate();
        var principal = await Client.CreatePrincipalAsync("org-" + Guid.NewGuid().ToString("N")[..8], keys.PublicKeyHex);
        if (capabilities.Length > 0)
        {
            await Client.SetCapabilitiesAsync(principal.Id, capabilities, AdminToken);
        }

        return new Principal(principal.Id, keys);
    }

    public async Task<string> OpenDeliberationAsync(string title = "test deliberation") =>
        (await Client.CreateDeliberationAsync(title)).Id;

    /// <summary>A signed envelope for this server's profile.</summary>
    public MesaEnvelope Sign(Principal principal, string type, object payload, string? deliberationId) =>
        MesaEnvelope.Create(type, principal.Id, payload, Profile == MesaProfile.V2 ? deliberationId : null, profile: Profile).Sign(principal.Keys);

    /// <summary>Adds a policy through <c>/_local/policies</c>; returns its id.</summary>
    public async Task<string> AddPolicyAsync(object policy)
    {
        var response = await PostAsync("/_local/policies", policy, AdminToken);
        response.ShouldSucceed(201);
        return response.Json.GetProperty("id").GetString()!;
    }

    public async Task<long> HitsAsync(string policyId)
    {
        var response = await GetAsync("/_local/policies", AdminToken);
        response.ShouldSucceed(200);
        return response.Json.EnumerateArray().Single(p => p.GetProperty("id").GetString() == policyId).GetProperty("hits30d").GetInt64();
    }

    public static string ToJson(object body) => body as string ?? JsonSerializer.Serialize(body);

    public void Dispose()
    {
        Client.Dispose();
        Http.Dispose();
        _factory.Dispose();
    }
}
