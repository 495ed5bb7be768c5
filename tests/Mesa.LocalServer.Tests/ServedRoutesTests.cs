using System.Net.Http;
using Mesa.Client;
using Mesa.LocalServer.Hosting;
using Mesa.LocalServer.Tests.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Mesa.LocalServer.Tests;

/// <summary>The server serves exactly the routes of the Protocol list for its profile (and the local-only extension).</summary>
public sealed class ServedRoutesTests
{
    private const string RoutingNotFound = """{"detail":"Not Found"}""";

    [Theory]
    [InlineData(MesaProfile.V1)]
    [InlineData(MesaProfile.V2)]
    public void The_mapped_endpoints_are_the_protocol_routes_of_the_profile(MesaProfile profile)
    {
        using var server = Start(profile);

        var mapped = server.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Order(StringComparer.Ordinal);
        var expected = MesaRoutes.All.Where(r => r.IsIn(profile)).Select(r => r.ToString()).Order(StringComparer.Ordinal);

        Assert.Equal(expected, mapped);
    }

    [Theory]
    [InlineData(MesaProfile.V1)]
    [InlineData(MesaProfile.V2)]
    public async Task Every_route_of_the_profile_reaches_its_handler_and_every_other_is_a_routing_404_or_405(MesaProfile profile)
    {
        using var server = Start(profile);

        foreach (var route in MesaRoutes.All)
        {
            var path = "/" + route.RelativePath(route.Parameters.Select(_ => "x1").ToArray());
            var body = route.Method is "GET" or "DELETE" ? null : "{}";
            var response = await server.SendAsync(new HttpMethod(route.Method), path, body, route.TakesAdminToken ? InProcessServer.AdminToken : null);

            var routingRefusal = (response.Status == System.Net.HttpStatusCode.NotFound && response.Text == RoutingNotFound)
                                 || response.Status == System.Net.HttpStatusCode.MethodNotAllowed;
            Assert.True(routingRefusal != route.IsIn(profile), $"{route} on a {profile} server answered {(int)response.Status} {response.Text}");
        }

        // Paths no route has, next to ones that exist.
        foreach (var path in new[] { "/_local/anything", "/principals/x1/keys", "/commitments/x1" })
        {
            var response = await server.GetAsync(path);
            Assert.Equal((System.Net.HttpStatusCode.NotFound, RoutingNotFound), (response.Status, response.Text));
        }
    }

    private static InProcessServer Start(MesaProfile profile) =>
        new(new ServerOptions { DatabasePath = ServerOptions.InMemoryDatabase, AdminToken = InProcessServer.AdminToken, Protocol = profile });
}
