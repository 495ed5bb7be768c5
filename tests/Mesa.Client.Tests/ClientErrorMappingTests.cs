using Mesa.Client.Tests.Support;

namespace Mesa.Client.Tests;

/// <summary>Protocol section 5, against a real HTTP server on loopback that answers with canned statuses and bodies.</summary>
public class ClientErrorMappingTests
{
    private static async Task<(MesaException Error, CannedServer Server)> FailWith(int status, string body, string contentType = "application/json")
    {
        var server = await CannedServer.StartAsync(status, body, contentType);
        using var client = new MesaClient(new MesaClientOptions { BaseUri = server.BaseUri });
        var error = await Assert.ThrowsAnyAsync<MesaException>(() => client.GetPrincipalAsync("abc"));
        return (error, server);
    }

    [Fact]
    public async Task Status_400_with_a_string_detail_is_bad_request()
    {
        var (ex, server) = await FailWith(400, "{\"detail\":\"bad input\"}");
        await using var _ = server;

        var typed = Assert.IsType<MesaBadRequestException>(ex);
        Assert.Equal("bad input", typed.Message);
        Assert.Equal(400, typed.StatusCode);
        Assert.Equal("bad input", typed.Detail);
        Assert.Null(typed.Code);
        Assert.Equal("{\"detail\":\"bad input\"}", typed.Body);
        Assert.Equal("BadRequest", typed.ErrorClass);
        Assert.Equal("GET", typed.Method);
        Assert.Equal(new Uri(server.BaseUri, "principals/abc"), typed.RequestUri);
    }

    [Fact]
    public async Task Status_401_with_a_structured_detail_is_unauthorized_with_code_and_message()
    {
        var (ex, server) = await FailWith(401, "{\"detail\":{\"code\":\"invalid_signature\",\"message\":\"signature does not verify\"}}");
        await using var _ = server;

        var typed = Assert.IsType<MesaUnauthorizedException>(ex);
        Assert.Equal("invalid_signature: signature does not verify", typed.Message);
        Assert.Equal("invalid_signature", typed.Code);
        Assert.Equal(401, typed.StatusCode);
        Assert.Equal("Unauthorized", typed.ErrorClass);
        Assert.Equal("signature does not verify", typed.GetDetailValue("message"));
    }

    [Fact]
    public async Task Status_403_keeps_the_extras_of_a_structured_detail()
    {
        var (ex, server) = await FailWith(403,
            "{\"detail\":{\"code\":\"policy_blocked\",\"message\":\"blocked by policy\",\"policy_id\":7,\"policy_name\":\"spend cap\"}}");
        await using var _ = server;

        var typed = Assert.IsType<MesaForbiddenException>(ex);
        Assert.Equal("policy_blocked: blocked by policy", typed.Message);
        Assert.Equal("policy_blocked", typed.Code);
        Assert.Equal(7L, typed.GetDetailValue("policy_id"));
        Assert.Equal("spend cap", typed.GetDetailValue("policy_name"));
        Assert.Null(typed.GetDetailValue("absent"));
        Assert.Equal("Forbidden", typed.ErrorClass);
    }

    [Fact]
    public async Task Status_404_is_not_found()
    {
        var (ex, server) = await FailWith(404, "{\"detail\":\"principal not found\"}");
        await using var _ = server;

        var typed = Assert.IsType<MesaNotFoundException>(ex);
        Assert.Equal("principal not found", typed.Message);
        Assert.Equal("NotFound", typed.ErrorClass);
    }

    [Fact]
    public async Task Status_409_is_conflict()
    {
        var (ex, server) = await FailWith(409, "{\"detail\":\"public_key already registered\"}");
        await using var _ = server;

        var typed = Assert.IsType<MesaConflictException>(ex);
        Assert.Equal("public_key already registered", typed.Message);
        Assert.Equal(409, typed.StatusCode);
        Assert.Equal("Conflict", typed.ErrorClass);
    }

    [Fact]
    public async Task Status_422_with_a_structured_detail_is_bad_request_with_its_code()
    {
        var (ex, server) = await FailWith(422, "{\"detail\":{\"code\":\"schema_invalid\",\"message\":\"'summary' is a required property\"}}");
        await using var _ = server;

        var typed = Assert.IsType<MesaBadRequestException>(ex);
        Assert.Equal("schema_invalid: 'summary' is a required property", typed.Message);
        Assert.Equal("schema_invalid", typed.Code);
        Assert.Equal(422, typed.StatusCode);
    }

    [Fact]
    public async Task Status_422_with_a_validation_list_reads_as_location_and_message()
    {
        const string body = "{\"detail\":[{\"type\":\"string_too_short\",\"loc\":[\"body\",\"public_key\"]," +
                            "\"msg\":\"String should have at least 64 characters\",\"input\":\"abc\",\"ctx\":{\"min_length\":64}}]}";
        var (ex, server) = await FailWith(422, body);
        await using var _ = server;

        var typed = Assert.IsType<MesaBadRequestException>(ex);
        Assert.Equal("body.public_key: String should have at least 64 characters", typed.Message);
        Assert.Null(typed.Code);
        var problems = Assert.IsAssignableFrom<IReadOnlyList<object?>>(typed.Detail);
        var first = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(Assert.Single(problems));
        Assert.Equal("string_too_short", first["type"]);
        Assert.Equal(64L, Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(first["ctx"])["min_length"]);
    }

    [Fact]
    public async Task Several_validation_problems_are_joined()
    {
        const string body = "{\"detail\":[" +
                            "{\"type\":\"missing\",\"loc\":[\"body\",\"org\"],\"msg\":\"Field required\",\"input\":{}}," +
                            "{\"type\":\"string_type\",\"loc\":[\"body\",\"capabilities\",0],\"msg\":\"Input should be a valid string\",\"input\":5}]}";
        var (ex, server) = await FailWith(422, body);
        await using var _ = server;

        Assert.Equal("body.org: Field required; body.capabilities.0: Input should be a valid string", ex.Message);
    }

    [Theory]
    [InlineData(402)]
    [InlineData(405)]
    [InlineData(413)]
    [InlineData(429)]
    public async Task Other_4xx_statuses_are_bad_request(int status)
    {
        var (ex, server) = await FailWith(status, "{\"detail\":\"Method Not Allowed\"}");
        await using var _ = server;

        Assert.IsType<MesaBadRequestException>(ex);
        Assert.Equal(status, ex.StatusCode);
        Assert.Equal("Method Not Allowed", ex.Message);
    }

    [Fact]
    public async Task Status_500_is_the_base_exception()
    {
        var (ex, server) = await FailWith(500, "Internal Server Error", "text/plain");
        await using var _ = server;

        Assert.Equal(typeof(MesaException), ex.GetType());
        Assert.Equal("http 500", ex.Message);
        Assert.Equal(500, ex.StatusCode);
        Assert.Equal("Internal Server Error", ex.Body);
        Assert.Null(ex.Detail);
        Assert.Equal("ServerError", ex.ErrorClass);
    }

    [Fact]
    public async Task Status_503_with_a_proxy_html_page_keeps_the_raw_text()
    {
        const string html = "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>";
        var (ex, server) = await FailWith(503, html, "text/html");
        await using var _ = server;

        Assert.Equal(typeof(MesaException), ex.GetType());
        Assert.Equal("http 503", ex.Message);
        Assert.Equal(503, ex.StatusCode);
        Assert.Equal(html, ex.Body);
        Assert.Null(ex.Detail);
        Assert.Null(ex.Code);
    }

    [Fact]
    public async Task A_5xx_with_a_structured_detail_still_reads_it()
    {
        var (ex, server) = await FailWith(500, "{\"detail\":{\"code\":\"unknown_predicate\",\"message\":\"no predicate 'x'\"}}");
        await using var _ = server;

        Assert.Equal(typeof(MesaException), ex.GetType());
        Assert.Equal("unknown_predicate: no predicate 'x'", ex.Message);
        Assert.Equal("unknown_predicate", ex.Code);
    }

    [Theory]
    [InlineData(400, "{\"error\":\"something\"}", "http 400")]
    [InlineData(404, "[]", "http 404")]
    [InlineData(409, "", "http 409")]
    [InlineData(422, "{\"detail\":null}", "http 422")]
    [InlineData(422, "{\"detail\":\"\"}", "http 422")]
    [InlineData(422, "{\"detail\":[]}", "http 422")]
    [InlineData(400, "{\"detail\":{\"message\":\"no code here\"}}", "no code here")]
    public async Task Bodies_without_a_usable_detail_fall_back_to_the_status(int status, string body, string expected)
    {
        var (ex, server) = await FailWith(status, body);
        await using var _ = server;

        Assert.Equal(expected, ex.Message);
        Assert.Equal(status, ex.StatusCode);
        Assert.Equal(body, ex.Body);
    }

    [Fact]
    public async Task A_success_status_with_an_unreadable_body_is_reported_with_the_body()
    {
        await using var server = await CannedServer.StartAsync(200, "<html>not json</html>", "text/html");
        using var client = new MesaClient(new MesaClientOptions { BaseUri = server.BaseUri });

        var ex = await Assert.ThrowsAsync<MesaInvalidResponseException>(() => client.GetHealthAsync());

        Assert.Equal(200, ex.StatusCode);
        Assert.Equal("<html>not json</html>", ex.Body);
        Assert.Contains("cannot read", ex.Message);
        Assert.Contains(server.BaseUri.ToString(), ex.Message);
    }

    [Fact]
    public async Task An_unreadable_created_at_is_an_unreadable_body()
    {
        await using var server = await CannedServer.StartAsync(200,
            "{\"id\":\"p1\",\"org\":\"acme\",\"public_key\":\"ab\",\"capabilities\":[],\"created_at\":\"yesterday\"}");
        using var client = new MesaClient(new MesaClientOptions { BaseUri = server.BaseUri });

        var ex = await Assert.ThrowsAsync<MesaInvalidResponseException>(() => client.GetPrincipalAsync("p1"));

        Assert.Contains("yesterday", ex.Message);
        Assert.IsType<System.Text.Json.JsonException>(ex.InnerException);
    }

    [Fact]
    public async Task A_detail_reads_as_JSON_on_a_client_with_an_admin_token_too()
    {
        // The redaction of the detail (done whenever a token is set) keeps JsonPlain's shapes, whose text is their JSON.
        await using var server = await CannedServer.StartAsync(409, "{\"detail\":{\"code\":\"c\",\"message\":\"m\",\"extra\":{\"a\":[1,2]}}}");
        using var client = new MesaClient(new MesaClientOptions { BaseUri = server.BaseUri, AdminToken = "tok-7f3a" });

        var ex = await Assert.ThrowsAsync<MesaConflictException>(() => client.GetHealthAsync());

        var detail = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(ex.Detail);
        Assert.Equal("{\"a\":[1,2]}", detail["extra"]!.ToString());
        Assert.Equal("[1,2]", ((IReadOnlyDictionary<string, object?>)detail["extra"]!)["a"]!.ToString());
    }
}
