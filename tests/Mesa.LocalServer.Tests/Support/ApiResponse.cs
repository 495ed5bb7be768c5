using System.Net;
using System.Text.Json;

namespace Mesa.LocalServer.Tests.Support;

/// <summary>A response read whole: status, headers, raw text and the parsed JSON (when it is JSON).</summary>
public sealed class ApiResponse(HttpStatusCode status, string text, HttpResponseMessage message)
{
    public HttpStatusCode Status { get; } = status;

    public int StatusCode => (int)Status;

    public string Text { get; } = text;

    public HttpResponseMessage Message { get; } = message;

    public JsonElement Json
    {
        get
        {
            using var document = JsonDocument.Parse(Text);
            return document.RootElement.Clone();
        }
    }

    /// <summary>The <c>detail</c> of an error body.</summary>
    public JsonElement Detail => Json.GetProperty("detail");

    /// <summary><c>detail.code</c> of a structured error.</summary>
    public string? Code => Detail.ValueKind == JsonValueKind.Object && Detail.TryGetProperty("code", out var code) ? code.GetString() : null;

    /// <summary>Asserts the status and the structured error code.</summary>
    public ApiResponse ShouldFail(int status, string code)
    {
        Assert.True(StatusCode == status, $"expected {status} {code}, got {StatusCode}: {Text}");
        Assert.Equal(code, Code);
        Assert.False(string.IsNullOrWhiteSpace(Detail.GetProperty("message").GetString()));
        return this;
    }

    /// <summary>Asserts a plain string detail.</summary>
    public ApiResponse ShouldFailWithText(int status, string detail)
    {
        Assert.True(StatusCode == status, $"expected {status}, got {StatusCode}: {Text}");
        Assert.Equal(JsonValueKind.String, Detail.ValueKind);
        Assert.Equal(detail, Detail.GetString());
        return this;
    }

    /// <summary>Asserts a 422 validation list and returns its items.</summary>
    public IReadOnlyList<JsonElement> ShouldBeValidationList()
    {
        Assert.True(StatusCode == 422, $"expected 422, got {StatusCode}: {Text}");
        Assert.Equal(JsonValueKind.Array, Detail.ValueKind);
        var items = Detail.EnumerateArray().ToList();
        Assert.NotEmpty(items);
        foreach (var item in items)
        {
            Assert.Equal(JsonValueKind.String, item.GetProperty("type").ValueKind);
            Assert.Equal(JsonValueKind.Array, item.GetProperty("loc").ValueKind);
            Assert.Equal(JsonValueKind.String, item.GetProperty("msg").ValueKind);
            Assert.True(item.TryGetProperty("input", out _), "every problem carries input");
        }

        return items;
    }

    /// <summary>Asserts a 422 validation list holding a problem of <paramref name="type"/> at <paramref name="loc"/>.</summary>
    public JsonElement ShouldHaveProblem(string type, params object[] loc)
    {
        var items = ShouldBeValidationList();
        var expected = JsonSerializer.Serialize(loc);
        var match = items.FirstOrDefault(i => i.GetProperty("type").GetString() == type && i.GetProperty("loc").GetRawText() == expected);
        Assert.True(match.ValueKind == JsonValueKind.Object, $"no {type} problem at {expected} in {Text}");
        return match;
    }

    public void ShouldSucceed(int status)
    {
        Assert.True(StatusCode == status, $"expected {status}, got {StatusCode}: {Text}");
    }
}
