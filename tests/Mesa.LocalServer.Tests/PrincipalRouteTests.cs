using System.Text.Json;
using Mesa.Client;
using Mesa.LocalServer.Tests.Support;

namespace Mesa.LocalServer.Tests;

/// <summary>POST/GET /principals and GET /principals/{id}.</summary>
public sealed class PrincipalRouteTests : IDisposable
{
    private readonly InProcessServer _server = new();

    public void Dispose() => _server.Dispose();

    private static string Key() => MesaKeypair.Generate().PublicKeyHex;

    [Fact]
    public async Task Register_answers_201_with_the_principal()
    {
        var key = Key();
        var response = await _server.PostAsync("/principals", new { org = "Acme Labs", public_key = key });
        response.ShouldSucceed(201);
        var p = response.Json;
        Assert.Equal(new[] { "id", "org", "public_key", "capabilities", "created_at" }, p.EnumerateObject().Select(m => m.Name));
        Assert.Matches("^[0-9a-f]{32}$", p.GetProperty("id").GetString());
        Assert.Equal("Acme Labs", p.GetProperty("org").GetString());
        Assert.Equal(key, p.GetProperty("public_key").GetString());
        Assert.Equal(0, p.GetProperty("capabilities").GetArrayLength());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$", p.GetProperty("created_at").GetString());
    }

    [Fact]
    public async Task Org_is_trimmed_and_the_key_stored_lowercase()
    {
        var key = Key();
        var response = await _server.PostAsync("/principals", new { org = "  Acme \t", public_key = key.ToUpperInvariant() });
        response.ShouldSucceed(201);
        Assert.Equal("Acme", response.Json.GetProperty("org").GetString());
        Assert.Equal(key, response.Json.GetProperty("public_key").GetString());
    }

    [Fact]
    public async Task The_same_key_again_in_any_case_is_409()
    {
        var key = Key();
        (await _server.PostAsync("/principals", new { org = "a", public_key = key })).ShouldSucceed(201);
        (await _server.PostAsync("/principals", new { org = "b", public_key = key })).ShouldFailWithText(409, "public_key already registered");
        (await _server.PostAsync("/principals", new { org = "c", public_key = key.ToUpperInvariant() })).ShouldFailWithText(409, "public_key already registered");
    }

    [Theory]
    [InlineData(" ")]
    [InlineData("\t\n\u00a0\u2003")]
    public async Task A_blank_org_is_a_value_error(string org)
    {
        var problem = (await _server.PostAsync("/principals", new { org, public_key = Key() })).ShouldHaveProblem("value_error", "body", "org");
        Assert.Equal("Value error, org must not be blank", problem.GetProperty("msg").GetString());
        Assert.Equal("{}", problem.GetProperty("ctx").GetProperty("error").GetRawText());
    }

    [Fact]
    public async Task Org_length_is_1_to_255_code_points()
    {
        var empty = (await _server.PostAsync("/principals", new { org = "", public_key = Key() })).ShouldHaveProblem("string_too_short", "body", "org");
        Assert.Equal("String should have at least 1 character", empty.GetProperty("msg").GetString());
        Assert.Equal(1, empty.GetProperty("ctx").GetProperty("min_length").GetInt32());

        var tooLong = (await _server.PostAsync("/principals", new { org = new string('x', 256), public_key = Key() })).ShouldHaveProblem("string_too_long", "body", "org");
        Assert.Equal("String should have at most 255 characters", tooLong.GetProperty("msg").GetString());
        Assert.Equal(255, tooLong.GetProperty("ctx").GetProperty("max_length").GetInt32());

        // 255 emoji are 255 characters for Python (510 UTF-16 units).
        (await _server.PostAsync("/principals", new { org = string.Concat(Enumerable.Repeat("😀", 255)), public_key = Key() })).ShouldSucceed(201);
    }

    [Fact]
    public async Task Missing_fields_are_reported_in_order_with_the_body_as_input()
    {
        var response = await _server.PostAsync("/principals", new { });
        var items = response.ShouldBeValidationList();
        Assert.Equal(2, items.Count);
        Assert.Equal("""["body","org"]""", items[0].GetProperty("loc").GetRawText());
        Assert.Equal("""["body","public_key"]""", items[1].GetProperty("loc").GetRawText());
        Assert.All(items, i =>
        {
            Assert.Equal("missing", i.GetProperty("type").GetString());
            Assert.Equal("Field required", i.GetProperty("msg").GetString());
            Assert.Equal("{}", i.GetProperty("input").GetRawText());
        });
    }

    [Fact]
    public async Task Inputs_are_echoed_as_python_writes_them()
    {
        var response = await _server.SendAsync(HttpMethod.Post, "/principals", """{"org": {"b": 1.50, "a": 2E0}, "public_key": "x"}""");
        var org = response.ShouldHaveProblem("string_type", "body", "org");
        Assert.Equal("""{"b":1.5,"a":2.0}""", org.GetProperty("input").GetRawText());
    }

    [Fact]
    public async Task Wrong_types_are_string_type_problems()
    {
        var response = await _server.SendAsync(HttpMethod.Post, "/principals", """{"org": 5, "public_key": null}""");
        var org = response.ShouldHaveProblem("string_type", "body", "org");
        Assert.Equal("Input should be a valid string", org.GetProperty("msg").GetString());
        Assert.Equal("5", org.GetProperty("input").GetRawText());
        response.ShouldHaveProblem("string_type", "body", "public_key");
    }

    [Theory]
    [InlineData(63)]
    [InlineData(65)]
    public async Task The_public_key_must_be_exactly_64_characters(int length)
    {
        var response = await _server.PostAsync("/principals", new { org = "a", public_key = new string('a', length) });
        var problem = response.ShouldHaveProblem(length < 64 ? "string_too_short" : "string_too_long", "body", "public_key");
        Assert.Equal(length < 64 ? "String should have at least 64 characters" : "String should have at most 64 characters", problem.GetProperty("msg").GetString());
    }

    [Fact]
    public async Task A_public_key_that_is_not_hex_is_a_value_error()
    {
        var problem = (await _server.PostAsync("/principals", new { org = "a", public_key = new string('z', 64) })).ShouldHaveProblem("value_error", "body", "public_key");
        Assert.Equal("Value error, public_key must be a valid ed25519 public key (32-byte hex)", problem.GetProperty("msg").GetString());
    }

    [Fact]
    public async Task List_is_oldest_first_and_get_reads_one()
    {
        var first = await _server.Client.CreatePrincipalAsync("first", Key());
        var second = await _server.Client.CreatePrincipalAsync("second", Key());
        var list = await _server.GetAsync("/principals");
        list.ShouldSucceed(200);
        var ids = list.Json.EnumerateArray().Select(p => p.GetProperty("id").GetString()).ToList();
        Assert.True(ids.IndexOf(first.Id) < ids.IndexOf(second.Id));

        var one = await _server.GetAsync("/principals/" + second.Id);
        one.ShouldSucceed(200);
        Assert.Equal("second", one.Json.GetProperty("org").GetString());
    }

    [Fact]
    public async Task An_unknown_principal_is_404_principal_not_found()
    {
        (await _server.GetAsync("/principals/0123456789abcdef0123456789abcdef")).ShouldFailWithText(404, "principal not found");
    }

    [Fact]
    public async Task Invalid_json_is_a_json_invalid_problem_with_python_position_and_message()
    {
        var response = await _server.SendAsync(HttpMethod.Post, "/principals", """{"org": "a", "public_key": 5""");
        var problem = response.ShouldHaveProblem("json_invalid", "body", 28);
        Assert.Equal("JSON decode error", problem.GetProperty("msg").GetString());
        Assert.Equal("{}", problem.GetProperty("input").GetRawText());
        Assert.Equal("Expecting ',' delimiter", problem.GetProperty("ctx").GetProperty("error").GetString());
    }

    [Fact]
    public async Task An_empty_body_is_missing_and_a_non_object_body_is_model_attributes_type()
    {
        var empty = (await _server.SendAsync(HttpMethod.Post, "/principals", "")).ShouldHaveProblem("missing", "body");
        Assert.Equal(JsonValueKind.Null, empty.GetProperty("input").ValueKind);

        // FastAPI takes a JSON null body as no body.
        var jsonNull = (await _server.SendAsync(HttpMethod.Post, "/principals", "null")).ShouldHaveProblem("missing", "body");
        Assert.Equal(JsonValueKind.Null, jsonNull.GetProperty("input").ValueKind);

        var list = (await _server.SendAsync(HttpMethod.Post, "/principals", "[1]")).ShouldHaveProblem("model_attributes_type", "body");
        Assert.Equal("Input should be a valid dictionary or object to extract fields from", list.GetProperty("msg").GetString());
        Assert.False(list.TryGetProperty("ctx", out _));
        Assert.Equal("[1]", list.GetProperty("input").GetRawText());
    }

    [Fact]
    public async Task A_body_sent_as_text_plain_is_not_parsed_as_json()
    {
        var body = $$"""{"org":"a","public_key":"{{Key()}}"}""";
        var problem = (await _server.SendAsync(HttpMethod.Post, "/principals", body, contentType: "text/plain")).ShouldHaveProblem("model_attributes_type", "body");
        Assert.Equal(body, problem.GetProperty("input").GetString());
        // Without any content type FastAPI still parses JSON.
        (await _server.SendBytesAsync(HttpMethod.Post, "/principals", System.Text.Encoding.UTF8.GetBytes(body), contentType: null)).ShouldSucceed(201);
        // application/*+json is JSON too.
        var other = $$"""{"org":"b","public_key":"{{Key()}}"}""";
        (await _server.SendAsync(HttpMethod.Post, "/principals", other, contentType: "application/vnd.mesa+json; charset=utf-8")).ShouldSucceed(201);
    }

    [Fact]
    public async Task Undecodable_bytes_are_400()
    {
        var response = await _server.SendBytesAsync(HttpMethod.Post, "/principals", new byte[] { 0x7b, 0xff, 0xfe, 0x7d });
        response.ShouldFailWithText(400, "There was an error parsing the body");
    }

    [Fact]
    public async Task A_lone_surrogate_in_org_is_string_unicode()
    {
        var response = await _server.SendAsync(HttpMethod.Post, "/principals", $$"""{"org":"a\ud800","public_key":"{{Key()}}"}""");
        var problem = response.ShouldHaveProblem("string_unicode", "body", "org");
        Assert.Equal("Input should be a valid string, unable to parse raw data as a unicode string", problem.GetProperty("msg").GetString());
    }
}
