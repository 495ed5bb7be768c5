using Mesa.Client.Tests.Support;

namespace Mesa.Client.Tests;

/// <summary>
/// Protocol section 5: every status and body shape as a case of <see cref="MesaErrorMapper"/> (status, body) to
/// exception type, message, code and error class; and a few cases end to end, against a real HTTP server on loopback
/// that answers with a canned status and body, to show the client hands what came over the socket to the mapper.
/// </summary>
public class ClientErrorMappingTests
{
    private static readonly Uri Route = new("http://127.0.0.1:9/principals/abc");

    private static MesaException Map(int status, string body) => MesaErrorMapper.FromResponse(status, body, "GET", Route);

    /// <summary>status, body, exception type, message, code, error class.</summary>
    public static TheoryData<int, string, Type, string, string?, string> Statuses => new()
    {
        { 400, "{\"detail\":\"bad input\"}", typeof(MesaBadRequestException), "bad input", null, "BadRequest" },
        { 401, "{\"detail\":{\"code\":\"invalid_signature\",\"message\":\"signature does not verify\"}}",
            typeof(MesaUnauthorizedException), "invalid_signature: signature does not verify", "invalid_signature", "Unauthorized" },
        { 403, "{\"detail\":{\"code\":\"policy_blocked\",\"message\":\"blocked by policy\",\"policy_id\":7,\"policy_name\":\"spend cap\"}}",
            typeof(MesaForbiddenException), "policy_blocked: blocked by policy", "policy_blocked", "Forbidden" },
        { 404, "{\"detail\":\"principal not found\"}", typeof(MesaNotFoundException), "principal not found", null, "NotFound" },
        { 409, "{\"detail\":\"public_key already registered\"}", typeof(MesaConflictException), "public_key already registered", null, "Conflict" },
        { 422, "{\"detail\":{\"code\":\"schema_invalid\",\"message\":\"'summary' is a required property\"}}",
            typeof(MesaBadRequestException), "schema_invalid: 'summary' is a required property", "schema_invalid", "BadRequest" },
        { 422, "{\"detail\":[{\"type\":\"string_too_short\",\"loc\":[\"body\",\"public_key\"],\"msg\":\"String should have at least 64 characters\",\"input\":\"abc\",\"ctx\":{\"min_length\":64}}]}",
            typeof(MesaBadRequestException), "body.public_key: String should have at least 64 characters", null, "BadRequest" },
        // Several validation problems are joined.
        { 422, "{\"detail\":[{\"type\":\"missing\",\"loc\":[\"body\",\"org\"],\"msg\":\"Field required\",\"input\":{}}," +
               "{\"type\":\"string_type\",\"loc\":[\"body\",\"capabilities\",0],\"msg\":\"Input should be a valid string\",\"input\":5}]}",
            typeof(MesaBadRequestException), "body.org: Field required; body.capabilities.0: Input should be a valid string", null, "BadRequest" },
        // Other 4xx statuses are bad requests.
        { 402, "{\"detail\":\"Method Not Allowed\"}", typeof(MesaBadRequestException), "Method Not Allowed", null, "BadRequest" },
        { 405, "{\"detail\":\"Method Not Allowed\"}", typeof(MesaBadRequestException), "Method Not Allowed", null, "BadRequest" },
        { 413, "{\"detail\":\"Method Not Allowed\"}", typeof(MesaBadRequestException), "Method Not Allowed", null, "BadRequest" },
        { 429, "{\"detail\":\"Method Not Allowed\"}", typeof(MesaBadRequestException), "Method Not Allowed", null, "BadRequest" },
        // 5xx: the base exception, whatever the body; a structured detail is still read.
        { 500, "Internal Server Error", typeof(MesaException), "http 500", null, "ServerError" },
        { 503, "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>", typeof(MesaException), "http 503", null, "ServerError" },
        { 500, "{\"detail\":{\"code\":\"unknown_predicate\",\"message\":\"no predicate 'x'\"}}",
            typeof(MesaException), "unknown_predicate: no predicate 'x'", "unknown_predicate", "ServerError" },
        // Bodies without a usable detail fall back to the status.
        { 400, "{\"error\":\"something\"}", typeof(MesaBadRequestException), "http 400", null, "BadRequest" },
        { 404, "[]", typeof(MesaNotFoundException), "http 404", null, "NotFound" },
        { 409, "", typeof(MesaConflictException), "http 409", null, "Conflict" },
        { 422, "{\"detail\":null}", typeof(MesaBadRequestException), "http 422", null, "BadRequest" },
        { 422, "{\"detail\":\"\"}", typeof(MesaBadRequestException), "http 422", null, "BadRequest" },
        { 422, "{\"detail\":[]}", typeof(MesaBadRequestException), "http 422", null, "BadRequest" },
        { 400, "{\"detail\":{\"message\":\"no code here\"}}", typeof(MesaBadRequestException), "no code here", null, "BadRequest" },
    };

    [Theory]
    [MemberData(nameof(Statuses))]
    public void Maps_a_status_and_body_to_its_exception(int status, string body, Type type, string message, string? code, string errorClass)
    {
        var ex = Map(status, body);

        Assert.Equal(type, ex.GetType());
        Assert.Equal(message, ex.Message);
        Assert.Equal(code, ex.Code);
        Assert.Equal(errorClass, ex.ErrorClass);
        Assert.Equal(status, ex.StatusCode);
        Assert.Equal(body, ex.Body);
        Assert.Equal("GET", ex.Method);
        Assert.Equal(Route, ex.RequestUri);
    }

    [Fact]
    public void A_string_detail_is_the_detail()
    {
        Assert.Equal("bad input", Map(400, "{\"detail\":\"bad input\"}").Detail);
    }

    [Fact]
    public void A_structured_detail_keeps_its_message_and_extras()
    {
        var unauthorized = Map(401, "{\"detail\":{\"code\":\"invalid_signature\",\"message\":\"signature does not verify\"}}");
        Assert.Equal("signature does not verify", unauthorized.GetDetailValue("message"));

        var forbidden = Map(403, "{\"detail\":{\"code\":\"policy_blocked\",\"message\":\"blocked by policy\",\"policy_id\":7,\"policy_name\":\"spend cap\"}}");
        Assert.Equal(7L, forbidden.GetDetailValue("policy_id"));
        Assert.Equal("spend cap", forbidden.GetDetailValue("policy_name"));
        Assert.Null(forbidden.GetDetailValue("absent"));
    }

    [Fact]
    public void A_validation_list_is_kept_as_plain_values()
    {
        var ex = Map(422, "{\"detail\":[{\"type\":\"string_too_short\",\"loc\":[\"body\",\"public_key\"]," +
                          "\"msg\":\"String should have at least 64 characters\",\"input\":\"abc\",\"ctx\":{\"min_length\":64}}]}");

        var problems = Assert.IsAssignableFrom<IReadOnlyList<object?>>(ex.Detail);
        var first = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(Assert.Single(problems));
        Assert.Equal("string_too_short", first["type"]);
        Assert.Equal(64L, Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(first["ctx"])["min_length"]);
    }

    [Theory]
    [InlineData("Internal Server Error")]
    [InlineData("<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>")]
    public void A_body_that_is_not_json_has_no_detail(string body)
    {
        Assert.Null(Map(503, body).Detail);
    }

    [Fact]
    public async Task End_to_end_a_status_and_body_from_the_socket_become_the_typed_exception()
    {
        await using var server = await CannedServer.StartAsync(400, "{\"detail\":\"bad input\"}");
        using var client = new MesaClient(new MesaClientOptions { BaseUri = server.BaseUri });

        var typed = await Assert.ThrowsAsync<MesaBadRequestException>(() => client.GetPrincipalAsync("abc"));

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
    public async Task End_to_end_a_5xx_html_page_keeps_its_raw_text()
    {
        const string html = "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>";
        await using var server = await CannedServer.StartAsync(503, html, "text/html");
        using var client = new MesaClient(new MesaClientOptions { BaseUri = server.BaseUri });

        var ex = await Assert.ThrowsAnyAsync<MesaException>(() => client.GetPrincipalAsync("abc"));

        Assert.Equal(typeof(MesaException), ex.GetType());
        Assert.Equal("http 503", ex.Message);
        Assert.Equal(503, ex.StatusCode);
        Assert.Equal(html, ex.Body);
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
