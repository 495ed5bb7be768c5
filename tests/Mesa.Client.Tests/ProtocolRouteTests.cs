using System.Net.Http;
using Mesa.Client.Tests.Support;

namespace Mesa.Client.Tests;

/// <summary>The route list of the Protocol area, and that the client sends its admin token exactly where a route says.</summary>
public class ProtocolRouteTests
{
    private const string AdminToken = "s3cret-admin-token-4c1f7e";

    [Fact]
    public void Routes_are_unique_and_local_only_ones_live_under_local()
    {
        Assert.Equal(MesaRoutes.All.Count, MesaRoutes.All.Select(r => r.ToString()).Distinct().Count());
        Assert.All(MesaRoutes.All, r => Assert.Equal(r.LocalOnly, r.Template.StartsWith("/_local/", StringComparison.Ordinal)));
        Assert.Equal(["PUT /principals/{id}/capabilities"], MesaRoutes.All.Where(r => r.TakesAdminToken && !r.LocalOnly).Select(r => r.ToString()));
        Assert.DoesNotContain(MesaRoutes.For(MesaProfile.V1, includeLocalOnly: true), r => r.Template.StartsWith("/deliberations", StringComparison.Ordinal));
        Assert.Equal(11, MesaRoutes.For(MesaProfile.V2, includeLocalOnly: false).Count);
    }

    [Fact]
    public void A_route_fills_its_template_with_escaped_values_and_matches_paths_exactly()
    {
        Assert.Equal("principals/a%20b%2Fc/capabilities", MesaRoutes.SetCapabilities.RelativePath("a b/c"));
        Assert.Equal("health", MesaRoutes.Health.RelativePath());
        Assert.Throws<ArgumentException>(() => MesaRoutes.GetPrincipal.RelativePath());
        Assert.True(MesaRoutes.SetCapabilities.Matches("put", "/principals/p1/capabilities/?x=1"));
        Assert.False(MesaRoutes.SetCapabilities.Matches("GET", "principals/p1/capabilities"));
        Assert.False(MesaRoutes.SetCapabilities.Matches("PUT", "principals//capabilities"));
        Assert.False(MesaRoutes.SetCapabilities.Matches("PUT", "Principals/p1/capabilities"));
        Assert.False(MesaRoutes.GetPrincipal.Matches("GET", "principals/p1/x"));
    }

    [Fact]
    public async Task The_clients_admin_token_goes_with_exactly_the_routes_that_take_it()
    {
        await using var server = await CannedServer.StartAsync(200, "{}");
        using var client = new MesaClient(new MesaClientOptions { BaseUri = server.BaseUri, AdminToken = AdminToken });

        foreach (var route in MesaRoutes.All)
        {
            var path = route.RelativePath(route.Parameters.Select(_ => "x1").ToArray());
            await client.SendRawAsync(new HttpMethod(route.Method), path, route.Method is "GET" or "DELETE" ? null : "{}");
        }

        // A path of an admin route with a method no route has is no admin route.
        await client.SendRawAsync(HttpMethod.Get, "principals/p1/capabilities");

        var sent = server.Requests.Select(r => r.Header("X-Admin-Token") is not null).ToList();
        Assert.Equal(MesaRoutes.All.Select(r => r.TakesAdminToken && !r.LocalOnly).Append(false), sent);
        Assert.All(server.Requests.Where(r => r.Header("X-Admin-Token") is not null), r => Assert.Equal(AdminToken, r.Header("X-Admin-Token")));
    }

    [Fact]
    public async Task A_local_only_admin_route_gets_the_token_only_when_it_is_given()
    {
        await using var server = await CannedServer.StartAsync(200, "[]");
        using var client = new MesaClient(new MesaClientOptions { BaseUri = server.BaseUri, AdminToken = AdminToken });

        await client.SendRawAsync(HttpMethod.Get, "_local/policies");
        await client.SendRawAsync(HttpMethod.Get, "_local/policies", adminToken: "given-token");

        Assert.Equal([null, "given-token"], server.Requests.Select(r => r.Header("X-Admin-Token")));
    }
}
