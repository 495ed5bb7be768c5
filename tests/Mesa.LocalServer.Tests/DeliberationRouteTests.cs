using Mesa.LocalServer.Tests.Support;

namespace Mesa.LocalServer.Tests;

/// <summary>POST/GET /deliberations, GET/PATCH /deliberations/{id}.</summary>
public sealed class DeliberationRouteTests : IDisposable
{
    private readonly InProcessServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Open_answers_201_open_with_stage_offer_by_default()
    {
        var response = await _server.PostAsync("/deliberations", new { title = "  Data licence  " });
        response.ShouldSucceed(201);
        var d = response.Json;
        Assert.Equal(new[] { "id", "title", "counterparty_slug", "stage", "status", "created_at" }, d.EnumerateObject().Select(m => m.Name));
        Assert.Matches("^[0-9a-f]{32}$", d.GetProperty("id").GetString());
        Assert.Equal("Data licence", d.GetProperty("title").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, d.GetProperty("counterparty_slug").ValueKind);
        Assert.Equal("offer", d.GetProperty("stage").GetString());
        Assert.Equal("open", d.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("offer")]
    [InlineData("scope")]
    [InlineData("amendment")]
    [InlineData("signoff")]
    public async Task Every_stage_is_accepted(string stage)
    {
        var response = await _server.PostAsync("/deliberations", new { title = "t", counterparty_slug = "acme-publishing", stage });
        response.ShouldSucceed(201);
        Assert.Equal(stage, response.Json.GetProperty("stage").GetString());
        Assert.Equal("acme-publishing", response.Json.GetProperty("counterparty_slug").GetString());
    }

    [Fact]
    public async Task Title_and_stage_are_validated()
    {
        (await _server.PostAsync("/deliberations", new { title = "   " })).ShouldHaveProblem("value_error", "body", "title");
        (await _server.PostAsync("/deliberations", new { title = "" })).ShouldHaveProblem("string_too_short", "body", "title");
        (await _server.PostAsync("/deliberations", new { title = new string('t', 256) })).ShouldHaveProblem("string_too_long", "body", "title");
        (await _server.PostAsync("/deliberations", new { })).ShouldHaveProblem("missing", "body", "title");
        (await _server.PostAsync("/deliberations", new { title = "t", counterparty_slug = new string('s', 256) })).ShouldHaveProblem("string_too_long", "body", "counterparty_slug");
        var stage = (await _server.PostAsync("/deliberations", new { title = "t", stage = "closing" })).ShouldHaveProblem("value_error", "body", "stage");
        Assert.Equal("Value error, stage must be one of ('offer', 'scope', 'amendment', 'signoff')", stage.GetProperty("msg").GetString());
        (await _server.SendAsync(HttpMethod.Post, "/deliberations", """{"title":"t","stage":null}""")).ShouldHaveProblem("string_type", "body", "stage");
    }

    [Fact]
    public async Task List_is_oldest_first_and_filters_by_status()
    {
        var a = await _server.OpenDeliberationAsync("a");
        var b = await _server.OpenDeliberationAsync("b");
        (await _server.SendAsync(HttpMethod.Patch, "/deliberations/" + a, """{"status":"closed"}""")).ShouldSucceed(200);

        var all = (await _server.GetAsync("/deliberations")).Json.EnumerateArray().Select(d => d.GetProperty("id").GetString()).ToList();
        Assert.Equal(new[] { a, b }, all);
        var open = (await _server.GetAsync("/deliberations?status=open")).Json.EnumerateArray().Select(d => d.GetProperty("id").GetString());
        Assert.Equal(new[] { b }, open);
        var closed = (await _server.GetAsync("/deliberations?status=closed")).Json.EnumerateArray().Select(d => d.GetProperty("id").GetString());
        Assert.Equal(new[] { a }, closed);
    }

    [Theory]
    [InlineData("archived")]
    [InlineData("")]
    [InlineData("OPEN")]
    public async Task Another_status_filter_is_422_invalid_status(string status)
    {
        var response = await _server.GetAsync("/deliberations?status=" + status);
        response.ShouldFail(422, "invalid_status");
        Assert.Equal("status must be one of ('open', 'closed')", response.Detail.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Get_returns_the_deliberation_with_turns_by_index_and_commitments_oldest_first()
    {
        var d = await _server.OpenDeliberationAsync();
        var alice = await _server.RegisterAsync("offer");
        await _server.Client.SubmitCommitmentAsync(_server.Sign(alice, "offer", new Dictionary<string, object?> { ["summary"] = "first", ["terms"] = new Dictionary<string, object?> { ["x"] = 1.5 } }, d));
        await _server.Client.AddTurnAsync(d, _server.Sign(alice, "turn", new Dictionary<string, object?> { ["content"] = "hello" }, d));
        await _server.Client.SubmitCommitmentAsync(_server.Sign(alice, "offer", new Dictionary<string, object?> { ["summary"] = "second", ["terms"] = new Dictionary<string, object?>() }, d));
        await _server.Client.AddTurnAsync(d, _server.Sign(alice, "turn", new Dictionary<string, object?> { ["content"] = "again" }, d));

        var response = await _server.GetAsync("/deliberations/" + d);
        response.ShouldSucceed(200);
        var json = response.Json;
        Assert.Equal(new[] { "id", "title", "counterparty_slug", "stage", "status", "created_at", "turns", "commitments" }, json.EnumerateObject().Select(m => m.Name));
        var turns = json.GetProperty("turns").EnumerateArray().ToList();
        Assert.Equal(new long[] { 0, 1 }, turns.Select(t => t.GetProperty("index").GetInt64()));
        Assert.Equal(new[] { "hello", "again" }, turns.Select(t => t.GetProperty("content").GetString()));
        Assert.Equal(new[] { "id", "deliberation_id", "speaker_id", "content", "index", "created_at" }, turns[0].EnumerateObject().Select(m => m.Name));
        Assert.Equal(alice.Id, turns[0].GetProperty("speaker_id").GetString());
        var commitments = json.GetProperty("commitments").EnumerateArray().ToList();
        Assert.Equal(new[] { "first", "second" }, commitments.Select(c => c.GetProperty("payload").GetProperty("summary").GetString()));
        Assert.Equal(new[] { "id", "type", "principal_id", "status", "payload", "created_at" }, commitments[0].EnumerateObject().Select(m => m.Name));
        Assert.Equal(1.5, commitments[0].GetProperty("payload").GetProperty("terms").GetProperty("x").GetDouble());
        Assert.Equal("active", commitments[0].GetProperty("status").GetString());

        var detail = await _server.Client.GetDeliberationAsync(d);
        Assert.Equal(2, detail.Turns.Count);
        Assert.Equal(2, detail.Commitments.Count);
    }

    [Fact]
    public async Task A_stored_payload_is_written_back_as_python_writes_it()
    {
        var d = await _server.OpenDeliberationAsync();
        var alice = await _server.RegisterAsync("offer");
        // Sent with its keys out of order, a repeated key, and numbers Python re-formats.
        var payload = """{"terms": {"z": 1.50, "a": 1E2, "z": 2.50, "n": 10, "s": "é\u00e9\n"}, "summary": "s"}""";
        var envelope = Mesa.Client.MesaEnvelope.Create("offer", alice.Id, payload, d).Sign(alice.Keys);
        var wire = envelope.ToWireJson().Replace(envelope.PayloadJson, payload);
        (await _server.SendAsync(HttpMethod.Post, "/commitments", wire)).ShouldSucceed(201);

        var detail = await _server.GetAsync("/deliberations/" + d);
        Assert.Contains("""
            "payload":{"terms":{"z":2.5,"a":100.0,"n":10,"s":"éé\n"},"summary":"s"}
            """.Trim(), detail.Text);
    }

    [Fact]
    public async Task An_unknown_deliberation_is_404_not_found()
    {
        (await _server.GetAsync("/deliberations/nope")).ShouldFail(404, "not_found");
        (await _server.SendAsync(HttpMethod.Patch, "/deliberations/nope", """{"status":"closed"}""")).ShouldFail(404, "not_found");
    }

    [Fact]
    public async Task Patch_changes_status_and_stage()
    {
        var d = await _server.OpenDeliberationAsync();
        var closed = await _server.SendAsync(HttpMethod.Patch, "/deliberations/" + d, """{"status":"closed","stage":"signoff"}""");
        closed.ShouldSucceed(200);
        Assert.Equal("closed", closed.Json.GetProperty("status").GetString());
        Assert.Equal("signoff", closed.Json.GetProperty("stage").GetString());

        var reopened = await _server.SendAsync(HttpMethod.Patch, "/deliberations/" + d, """{"status":"open"}""");
        Assert.Equal("open", reopened.Json.GetProperty("status").GetString());
        Assert.Equal("signoff", reopened.Json.GetProperty("stage").GetString());

        var nothing = await _server.SendAsync(HttpMethod.Patch, "/deliberations/" + d, """{"status":null}""");
        nothing.ShouldSucceed(200);
        Assert.Equal("open", nothing.Json.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Patch_validates_the_body_before_looking_the_deliberation_up()
    {
        var problem = (await _server.SendAsync(HttpMethod.Patch, "/deliberations/nope", """{"status":"archived"}""")).ShouldHaveProblem("literal_error", "body", "status");
        Assert.Equal("Input should be 'open' or 'closed'", problem.GetProperty("msg").GetString());
        Assert.Equal("'open' or 'closed'", problem.GetProperty("ctx").GetProperty("expected").GetString());
        (await _server.SendAsync(HttpMethod.Patch, "/deliberations/nope", """{"stage":"final"}""")).ShouldHaveProblem("value_error", "body", "stage");
        (await _server.SendAsync(HttpMethod.Patch, "/deliberations/nope", "")).ShouldHaveProblem("missing", "body");
    }
}
