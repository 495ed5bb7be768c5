using Mesa.Client;
using Mesa.LocalServer.Hosting;
using Mesa.LocalServer.Tests.Support;

namespace Mesa.LocalServer.Tests;

/// <summary>PUT /principals/{id}/capabilities: the admin gate, validation against loaded types, replacement semantics.</summary>
public sealed class CapabilitiesRouteTests : IDisposable
{
    private readonly InProcessServer _server = new();

    public void Dispose() => _server.Dispose();

    private async Task<string> NewPrincipalAsync() =>
        (await _server.Client.CreatePrincipalAsync("acme", MesaKeypair.Generate().PublicKeyHex)).Id;

    private Task<ApiResponse> PutAsync(string id, string json, string? token = InProcessServer.AdminToken) =>
        _server.SendAsync(HttpMethod.Put, $"/principals/{id}/capabilities", json, token);

    [Fact]
    public async Task The_admin_replaces_the_whole_list()
    {
        var id = await NewPrincipalAsync();
        var first = await PutAsync(id, """{"capabilities":["offer","counter"]}""");
        first.ShouldSucceed(200);
        Assert.Equal("""["offer","counter"]""", first.Json.GetProperty("capabilities").GetRawText());

        var second = await PutAsync(id, """{"capabilities":["signoff"]}""");
        Assert.Equal("""["signoff"]""", second.Json.GetProperty("capabilities").GetRawText());
        Assert.Equal(new[] { "signoff" }, (await _server.Client.GetPrincipalAsync(id)).Capabilities);

        var cleared = await PutAsync(id, "{}");
        cleared.ShouldSucceed(200);
        Assert.Equal("[]", cleared.Json.GetProperty("capabilities").GetRawText());
    }

    [Fact]
    public async Task Duplicates_are_dropped_keeping_the_first_order()
    {
        var id = await NewPrincipalAsync();
        var response = await PutAsync(id, """{"capabilities":["turn","offer","turn","approval","offer"]}""");
        Assert.Equal("""["turn","offer","approval"]""", response.Json.GetProperty("capabilities").GetRawText());
    }

    [Fact]
    public async Task Unknown_types_are_a_value_error_listing_them_and_the_known_types()
    {
        var id = await NewPrincipalAsync();
        var problem = (await PutAsync(id, """{"capabilities":["offer","zeta","alpha"]}""")).ShouldHaveProblem("value_error", "body", "capabilities");
        Assert.Equal(
            "Value error, unknown commitment type(s): ['alpha', 'zeta']. known types: [" +
            string.Join(", ", Mesa.Client.CommitmentTypeSet.For(Mesa.Client.MesaProfile.V2).Select(t => t.Name).Order(StringComparer.Ordinal).Select(n => $"'{n}'")) + "]",
            problem.GetProperty("msg").GetString());
        Assert.Equal("""["offer","zeta","alpha"]""", problem.GetProperty("input").GetRawText());
        Assert.Empty((await _server.Client.GetPrincipalAsync(id)).Capabilities);
    }

    [Fact]
    public async Task Wrong_shapes_are_list_type_and_string_type_problems()
    {
        var id = await NewPrincipalAsync();
        (await PutAsync(id, """{"capabilities":"offer"}""")).ShouldHaveProblem("list_type", "body", "capabilities");
        (await PutAsync(id, """{"capabilities":["offer",7]}""")).ShouldHaveProblem("string_type", "body", "capabilities", 1);
        (await PutAsync(id, "")).ShouldHaveProblem("missing", "body");
    }

    [Fact]
    public async Task An_unknown_principal_is_404_after_validation()
    {
        (await PutAsync("nobody", """{"capabilities":["offer"]}""")).ShouldFailWithText(404, "principal not found");
        (await PutAsync("nobody", """{"capabilities":["nope"]}""")).ShouldHaveProblem("value_error", "body", "capabilities");
    }

    [Fact]
    public async Task Without_the_right_token_it_is_403_admin_forbidden()
    {
        var id = await NewPrincipalAsync();
        (await PutAsync(id, """{"capabilities":["offer"]}""", token: null)).ShouldFail(403, "admin_forbidden");
        (await PutAsync(id, """{"capabilities":["offer"]}""", token: "wrong")).ShouldFail(403, "admin_forbidden");
        (await PutAsync(id, """{"capabilities":["offer"]}""", token: "")).ShouldFail(403, "admin_forbidden");
        (await PutAsync(id, """{"capabilities":["offer"]}""", token: InProcessServer.AdminToken + "x")).ShouldFail(403, "admin_forbidden");
        Assert.Empty((await _server.Client.GetPrincipalAsync(id)).Capabilities);
    }

    [Fact]
    public async Task The_admin_gate_runs_before_body_validation()
    {
        (await PutAsync("nobody", """{"capabilities":"not a list"}""", token: null)).ShouldFail(403, "admin_forbidden");
        (await PutAsync("nobody", "[]", token: "wrong")).ShouldFail(403, "admin_forbidden");
        (await PutAsync("nobody", "", token: null)).ShouldFail(403, "admin_forbidden");
    }

    [Fact]
    public async Task Only_a_json_syntax_error_comes_before_the_admin_gate_as_in_fastapi()
    {
        // FastAPI decodes the JSON body before it runs dependencies such as the admin check.
        (await PutAsync("nobody", """{"capabilities": [""", token: null)).ShouldHaveProblem("json_invalid", "body", 18);
    }

    [Fact]
    public async Task A_server_without_a_token_answers_admin_disabled()
    {
        using var server = new InProcessServer(new ServerOptions { DatabasePath = ServerOptions.InMemoryDatabase, AdminToken = null });
        var id = (await server.Client.CreatePrincipalAsync("a", MesaKeypair.Generate().PublicKeyHex)).Id;
        var response = await server.SendAsync(HttpMethod.Put, $"/principals/{id}/capabilities", """{"capabilities":["offer"]}""", "anything");
        response.ShouldFail(403, "admin_disabled");
        (await server.SendAsync(HttpMethod.Put, $"/principals/{id}/capabilities", "[1]")).ShouldFail(403, "admin_disabled");
    }

    [Fact]
    public async Task Error_answers_never_echo_the_admin_token()
    {
        var id = await NewPrincipalAsync();
        var response = await PutAsync(id, """{"capabilities":["nope"]}""");
        Assert.DoesNotContain(InProcessServer.AdminToken, response.Text);
        var forbidden = await PutAsync(id, "{}", token: "guess-" + InProcessServer.AdminToken);
        Assert.DoesNotContain(InProcessServer.AdminToken, forbidden.Text);
    }
}
