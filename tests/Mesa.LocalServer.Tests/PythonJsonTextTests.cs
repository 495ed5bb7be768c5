using System.Text.Json;
using Mesa.Client;
using Mesa.LocalServer.Python;

namespace Mesa.LocalServer.Tests;

/// <summary>Values written back as the upstream server writes them; expected texts are CPython's json.dumps(json.loads(x), ensure_ascii=False, separators=(",", ":")).</summary>
public sealed class PythonJsonTextTests
{
    [Theory]
    [InlineData("""{"b":1,"a":[1.50,-0,-0.0,1E2,12345678901234567890],"b":2}""", """{"b":2,"a":[1.5,0,-0.0,100.0,12345678901234567890]}""")]
    [InlineData("""{"s":"tab\there \"q\" \\ \u0001 \u007f é 😀 \u2028 /"}""", "{\"s\":\"tab\\there \\\"q\\\" \\\\ \\u0001 \u007f é 😀 \u2028 /\"}")]
    [InlineData("""[true,false,null,{"x":{}},[]]""", """[true,false,null,{"x":{}},[]]""")]
    [InlineData("""{"n":1e-7,"m":123456789012345678.0,"k":0.1}""", """{"n":1e-07,"m":1.2345678901234568e+17,"k":0.1}""")]
    public void Matches_python(string json, string expected)
    {
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(expected, PythonJsonText.Write(doc.RootElement));
    }

    [Fact]
    public void What_python_cannot_write_is_refused()
    {
        using var surrogate = JsonDocument.Parse("""{"a":"\udc00"}""");
        Assert.Throws<CanonicalJsonException>(() => PythonJsonText.Write(surrogate.RootElement));
        using var overflow = JsonDocument.Parse("""[1e999]""");
        Assert.Throws<CanonicalJsonException>(() => PythonJsonText.Write(overflow.RootElement));
    }
}
