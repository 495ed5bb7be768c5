using System.Net;
using Mesa.Client;
using Mesa.LocalServer.Hosting;
using Mesa.LocalServer.Tests.Support;

namespace Mesa.LocalServer.Tests;

/// <summary>GET /health and what FastAPI answers before any handler: 404, 405, the trailing-slash redirect.</summary>
public sealed class RoutingTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly InProcessServer _server = fixture.Server;

    [Fact]
    public async Task Health_answers_ok()
    {
        var response = await _server.GetAsync("/health");
        response.ShouldSucceed(200);
        Assert.Equal("""{"status":"ok"}""", response.Text);
        Assert.Equal("application/json", response.Message.Content.Headers.ContentType!.MediaType);
        Assert.Equal("ok", (await _server.Client.GetHealthAsync()).Status);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/nope")]
    [InlineData("/principals/a/b")]
    [InlineData("/HEALTH")]
    [InlineData("/Principals")]
    [InlineData("/docs")]
    [InlineData("/openapi.json")]
    [InlineData("/_local")]
    [InlineData("/_local/policies/a/b")]
    public async Task Unknown_paths_are_404_not_found(string path)
    {
        var response = await _server.GetAsync(path);
        response.ShouldFailWithText(404, "Not Found");
    }

    [Theory]
    [InlineData("DELETE", "/health")]
    [InlineData("POST", "/health")]
    [InlineData("PUT", "/principals")]
    [InlineData("DELETE", "/principals/abc")]
    [InlineData("GET", "/commitments")]
    [InlineData("GET", "/principals/abc/capabilities")]
    [InlineData("PUT", "/deliberations")]
    [InlineData("DELETE", "/deliberations/abc")]
    [InlineData("GET", "/deliberations/abc/turns")]
    [InlineData("PUT", "/_local/policies")]
    [InlineData("GET", "/_local/policies/abc")]
    [InlineData("HEAD", "/health")]
    public async Task Known_paths_with_another_method_are_405(string method, string path)
    {
        var response = await _server.SendAsync(new HttpMethod(method), path);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.Status);
        Assert.True(response.Message.Content.Headers.Allow.Count > 0 || response.Message.Headers.Contains("Allow"));
        if (method != "HEAD") response.ShouldFailWithText(405, "Method Not Allowed");
    }

    [Fact]
    public async Task A_trailing_slash_redirects_to_the_route_without_it()
    {
        var response = await _server.GetAsync("/principals/?x=1");
        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.Status);
        Assert.Equal("/principals", response.Message.Headers.Location!.AbsolutePath);
        Assert.Equal("?x=1", response.Message.Headers.Location!.Query);
        var post = await _server.SendAsync(HttpMethod.Post, "/commitments/", "{}");
        Assert.Equal(HttpStatusCode.TemporaryRedirect, post.Status);
    }

    [Fact]
    public async Task The_server_header_is_not_sent()
    {
        var response = await _server.GetAsync("/health");
        Assert.False(response.Message.Headers.Contains("Server"));
    }

    [Fact]
    public void Options_never_show_the_admin_token()
    {
        var options = new ServerOptions { AdminToken = "very-secret-token" };
        Assert.DoesNotContain("very-secret-token", options.ToString());
        Assert.Contains("<redacted>", options.ToString());
    }
}
