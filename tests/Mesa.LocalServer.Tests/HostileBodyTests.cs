using System.Text;
using System.Text.Json;
using Mesa.Client;
using Mesa.LocalServer.Tests.Support;

namespace Mesa.LocalServer.Tests;

/// <summary>
/// Bodies that are not what a route expects (issue 9 items 1, 2, 5): invalid UTF-8 anywhere is upstream's 400 and
/// changes nothing; a lone surrogate in a key is a 422 problem; a body that is not an object is
/// <c>model_attributes_type</c>. No 500 for any of them.
/// </summary>
public sealed class HostileBodyTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string ParseError = "There was an error parsing the body";

    private readonly InProcessServer _server = fixture.Server;

    public static TheoryData<string, string> BodyRoutes => new()
    {
        { "POST", "/principals" },
        { "PUT", "/principals/{principal}/capabilities" },
        { "POST", "/commitments" },
        { "POST", "/deliberations" },
        { "PATCH", "/deliberations/{deliberation}" },
        { "POST", "/deliberations/{deliberation}/turns" },
        { "POST", "/_local/policies" },
    };

    [Theory]
    [MemberData(nameof(BodyRoutes))]
    public async Task Invalid_utf8_inside_a_string_value_is_400_on_every_route(string method, string route)
    {
        var path = await PathAsync(route);
        foreach (var body in new[] { "{\"title\":\"a\u00FFb\"}", "{\"org\":\"\u00C3\",\"public_key\":\"x\"}", "{\"capabilities\":[\"of\u00E2\u0082fer\"]}", "{\"x\":\"\u00ED\u00A0\u0080\"}" })
        {
            var response = await _server.SendBytesAsync(new HttpMethod(method), path, Latin1(body), InProcessServer.AdminToken);
            response.ShouldFailWithText(400, ParseError);
        }
    }

    [Fact]
    public async Task Invalid_utf8_in_a_key_is_400_and_does_not_clear_the_capabilities()
    {
        var alice = await _server.RegisterAsync("offer", "counter");
        var path = $"/principals/{alice.Id}/capabilities";
        foreach (var body in new[] { "{\"\u00C3capabilities\":[\"offer\"]}", "{\"capabilities\":[],\"ignored\u00FF\":1}", "{\"capabilities\":[],\"ignored\":\"\u00FE\"}" })
        {
            var response = await _server.SendBytesAsync(HttpMethod.Put, path, Latin1(body), InProcessServer.AdminToken);
            response.ShouldFailWithText(400, ParseError);
        }

        Assert.Equal(new[] { "offer", "counter" }, (await _server.Client.GetPrincipalAsync(alice.Id)).Capabilities);
    }

    [Fact]
    public async Task Invalid_utf8_in_a_big_body_is_400_too()
    {
        // Longer than the fast path's small-body size, so the other parser runs.
        var body = "{\"title\":\"" + new string('a', 10_000) + "\",\"pad\":\"\u00FF\"}";
        var response = await _server.SendBytesAsync(HttpMethod.Post, "/deliberations", Latin1(body));
        response.ShouldFailWithText(400, ParseError);
    }

    [Fact]
    public async Task A_lone_surrogate_in_a_key_is_a_string_unicode_problem_and_changes_nothing()
    {
        var d = await _server.OpenDeliberationAsync();
        var response = await _server.SendAsync(HttpMethod.Patch, "/deliberations/" + d, """{"\ud83dstage":"scope"}""");
        var problem = Assert.Single(response.ShouldBeValidationList());
        Assert.Equal("string_unicode", problem.GetProperty("type").GetString());
        Assert.Equal("Input should be a valid string, unable to parse raw data as a unicode string", problem.GetProperty("msg").GetString());
        // The key is echoed as sent (a JSON escape), since it cannot be written as UTF-8.
        Assert.Equal("""["body","\ud83dstage"]""", problem.GetProperty("loc").GetRawText());
        Assert.Equal("offer", (await _server.Client.GetDeliberationAsync(d)).Stage);

        // A paired surrogate escape in a key is fine (an ignored field).
        (await _server.SendAsync(HttpMethod.Patch, "/deliberations/" + d, """{"\ud83d\ude00":1,"stage":"scope"}""")).ShouldSucceed(200);
    }

    [Theory]
    [MemberData(nameof(BodyRoutes))]
    public async Task A_lone_surrogate_in_a_top_level_key_is_422_on_every_route(string method, string route)
    {
        var path = await PathAsync(route);
        var response = await _server.SendAsync(new HttpMethod(method), path, """{"\udc00":1}""", InProcessServer.AdminToken);
        var problem = Assert.Single(response.ShouldBeValidationList());
        Assert.Equal("string_unicode", problem.GetProperty("type").GetString());
        Assert.Equal("""["body","\udc00"]""", problem.GetProperty("loc").GetRawText());
    }

    [Theory]
    [MemberData(nameof(BodyRoutes))]
    public async Task A_body_that_is_not_an_object_is_model_attributes_type(string method, string route)
    {
        var path = await PathAsync(route);
        foreach (var body in new[] { "[]", "1", "\"x\"", "true", "[{}]" })
        {
            var response = await _server.SendAsync(new HttpMethod(method), path, body, InProcessServer.AdminToken);
            var problem = Assert.Single(response.ShouldBeValidationList());
            Assert.Equal("model_attributes_type", problem.GetProperty("type").GetString());
            Assert.Equal("""["body"]""", problem.GetProperty("loc").GetRawText());
            Assert.Equal("Input should be a valid dictionary or object to extract fields from", problem.GetProperty("msg").GetString());
            Assert.Equal(body, problem.GetProperty("input").GetRawText());
            Assert.False(problem.TryGetProperty("ctx", out _));
        }
    }

    [Fact]
    public async Task Invalid_utf8_is_answered_before_the_admin_gate()
    {
        // FastAPI parses the body before any dependency runs: a wrong token with a broken body is still the 400.
        var alice = await _server.RegisterAsync("offer");
        var response = await _server.SendBytesAsync(HttpMethod.Put, $"/principals/{alice.Id}/capabilities", Latin1("{\"capabilities\":[\"\u00FF\"]}"), "wrong");
        response.ShouldFailWithText(400, ParseError);
        (await _server.SendBytesAsync(HttpMethod.Put, $"/principals/{alice.Id}/capabilities", Encoding.UTF8.GetBytes("{\"capabilities\":[]}"), "wrong"))
            .ShouldFail(403, "admin_forbidden");
    }

    [Fact]
    public async Task A_lone_surrogate_in_policy_params_is_a_422_not_a_500()
    {
        // Found by the fuzz suite: looking up "cap" past such a key threw.
        foreach (var parameters in new[] { """{"\ud800":1,"cap":5}""", """{"cap":5,"note":"\udc00"}""", """{"nested":{"\udbff":[]},"cap":5}""" })
        {
            var response = await _server.SendAsync(
                HttpMethod.Post, "/_local/policies", $$"""{"name":"p","predicate_name":"spend_over_cap","params":{{parameters}},"action":"flag"}""", InProcessServer.AdminToken);
            var problem = response.ShouldHaveProblem("value_error", "body", "params");
            Assert.Contains("lone surrogate", problem.GetProperty("msg").GetString());
        }

        // An extra member holding such a key is an extra_forbidden problem echoing it, not a 500.
        var extra = await _server.SendAsync(
            HttpMethod.Post, "/_local/policies", """{"name":"p","predicate_name":"spend_over_cap","params":{"cap":1},"action":"flag","x":{"\ud800":1}}""", InProcessServer.AdminToken);
        Assert.Equal("""{"\ud800":1}""", extra.ShouldHaveProblem("extra_forbidden", "body", "x").GetProperty("input").GetRawText());
    }

    private static byte[] Latin1(string text) => Encoding.Latin1.GetBytes(text);

    private async Task<string> PathAsync(string route)
    {
        if (route.Contains("{principal}"))
        {
            var p = await _server.RegisterAsync();
            return route.Replace("{principal}", p.Id);
        }

        return route.Contains("{deliberation}") ? route.Replace("{deliberation}", await _server.OpenDeliberationAsync()) : route;
    }
}
