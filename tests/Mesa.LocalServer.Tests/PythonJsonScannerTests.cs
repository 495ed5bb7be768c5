using System.Text;
using System.Text.Json;
using Mesa.LocalServer.Python;
using Mesa.LocalServer.Tests.Support;

namespace Mesa.LocalServer.Tests;

/// <summary>
/// JSON syntax errors carry Python's message and position, checked against vectors made with CPython's own json module
/// (vectors/python-json-errors.json); the server reports them as FastAPI does.
/// </summary>
public sealed class PythonJsonScannerTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    public static TheoryData<int> CaseIndexes
    {
        get
        {
            var data = new TheoryData<int>();
            for (var i = 0; i < Cases.GetArrayLength(); i++) data.Add(i);
            return data;
        }
    }

    private static JsonElement Cases
    {
        get
        {
            var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "vectors", "python-json-errors.json"));
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.GetProperty("cases").Clone();
        }
    }

    [Theory]
    [MemberData(nameof(CaseIndexes))]
    public void The_scanner_agrees_with_python(int index)
    {
        var vector = Cases[index];
        var text = vector.GetProperty("text").GetString()!;
        var error = PythonJsonScanner.Check(text, out _);
        if (vector.GetProperty("error").ValueKind == JsonValueKind.Null)
        {
            Assert.Null(error);
        }
        else
        {
            Assert.NotNull(error);
            Assert.Equal(vector.GetProperty("error").GetString(), error!.Message);
            Assert.Equal(vector.GetProperty("position").GetInt32(), error.Position);
        }
    }

    [Fact]
    public void Non_finite_literals_are_located()
    {
        Assert.Null(PythonJsonScanner.Check("""{"a": NaN, "b": [-Infinity, Infinity], "c": "NaN"}""", out var ranges));
        Assert.Equal(3, ranges.Count);
    }

    [Fact]
    public void Too_deep_or_too_long_integers_are_not_syntax_errors_but_unparsable()
    {
        Assert.Throws<FormatException>(() => PythonJsonScanner.Check(new string('[', 1200) + new string(']', 1200), out _));
        Assert.Throws<FormatException>(() => PythonJsonScanner.Check(new string('9', 4301), out _));
        Assert.Null(PythonJsonScanner.Check(new string('9', 4300), out _));
    }

    [Fact]
    public async Task The_server_answers_json_invalid_like_fastapi()
    {
        var response = await fixture.Server.SendAsync(HttpMethod.Post, "/commitments", """{"emoji 😀": "😀", "bad": [1, 2 3]}""");
        var problem = response.ShouldHaveProblem("json_invalid", "body", 30);
        Assert.Equal("Expecting ',' delimiter", problem.GetProperty("ctx").GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_utf8_byte_order_mark_is_accepted_as_python_does_for_bytes()
    {
        var body = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("""{"title":"bom"}""")).ToArray();
        (await fixture.Server.SendBytesAsync(HttpMethod.Post, "/deliberations", body)).ShouldSucceed(201);
    }

    [Fact]
    public async Task Whitespace_only_is_expecting_value()
    {
        var problem = (await fixture.Server.SendAsync(HttpMethod.Post, "/deliberations", "   ")).ShouldHaveProblem("json_invalid", "body", 3);
        Assert.Equal("Expecting value", problem.GetProperty("ctx").GetProperty("error").GetString());
    }
}
