using System.Net;
using Mesa.Client;
using Mesa.LocalServer.Hosting;

namespace Mesa.LocalServer.Tests;

/// <summary>The command line: defaults, every option, and a clear message for each mistake.</summary>
public sealed class ServerOptionsParserTests
{
    private static ServerOptions Parse(params string[] args) => ServerOptionsParser.Parse(args, _ => null);

    [Fact]
    public void Defaults_are_loopback_8000_mesa_local_db_v2_and_no_admin_token()
    {
        var options = Parse();
        Assert.Equal(IPAddress.Loopback, options.Listen.Address);
        Assert.Equal(8000, options.Listen.Port);
        Assert.Equal("mesa-local.db", options.DatabasePath);
        Assert.Null(options.AdminToken);
        Assert.Null(options.PoliciesFile);
        Assert.Empty(options.SchemaDirectories);
        Assert.Equal(MesaProfile.V2, options.Protocol);
    }

    [Fact]
    public void Every_option_is_read_in_both_spellings()
    {
        var dir = Directory.CreateTempSubdirectory().FullName;
        var file = Path.Combine(dir, "p.json");
        File.WriteAllText(file, "[]");
        try
        {
            var options = Parse("--urls", "http://127.0.0.1:0", "--db=:memory:", "--admin-token", "tok", "--policies", file, "--schemas", dir, "--schemas=" + dir, "--protocol", "V1");
            Assert.Equal(0, options.Listen.Port);
            Assert.True(options.IsInMemory);
            Assert.Equal("tok", options.AdminToken);
            Assert.Equal(file, options.PoliciesFile);
            Assert.Equal(new[] { dir, dir }, options.SchemaDirectories);
            Assert.Equal(MesaProfile.V1, options.Protocol);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void The_admin_token_comes_from_the_environment_unless_given()
    {
        Assert.Equal("from-env", ServerOptionsParser.Parse(Array.Empty<string>(), n => n == "MESA_ADMIN_TOKEN" ? "from-env" : null).AdminToken);
        Assert.Equal("flag", ServerOptionsParser.Parse(new[] { "--admin-token", "flag" }, _ => "from-env").AdminToken);
        Assert.Null(ServerOptionsParser.Parse(Array.Empty<string>(), _ => "").AdminToken);
    }

    [Theory]
    [InlineData("http://localhost:0", "127.0.0.1", 0)]
    [InlineData("http://0.0.0.0:9000", "0.0.0.0", 9000)]
    [InlineData("http://[::1]:8123", "::1", 8123)]
    [InlineData("http://127.0.0.1:8000/", "127.0.0.1", 8000)]
    public void Urls_are_ip_or_localhost_with_a_port(string url, string address, int port)
    {
        var listen = Parse("--urls", url).Listen;
        Assert.Equal(IPAddress.Parse(address), listen.Address);
        Assert.Equal(port, listen.Port);
    }

    [Theory]
    [InlineData(new[] { "--bogus" }, "unknown option '--bogus'")]
    [InlineData(new[] { "--db" }, "--db needs a value")]
    [InlineData(new[] { "--db", "--urls", "http://127.0.0.1:0" }, "--db needs a value")]
    [InlineData(new[] { "stray" }, "unexpected argument 'stray'")]
    [InlineData(new[] { "--urls", "https://127.0.0.1:8000" }, "plain http only")]
    [InlineData(new[] { "--urls", "http://example.com:8000" }, "must be an IP address or localhost")]
    [InlineData(new[] { "--urls", "http://127.0.0.1" }, "has no port")]
    [InlineData(new[] { "--urls", "127.0.0.1:8000" }, "is not a URL")]
    [InlineData(new[] { "--urls", "not a url" }, "is not a URL")]
    [InlineData(new[] { "--urls", "http://127.0.0.1:1;http://127.0.0.1:2" }, "several URLs")]
    [InlineData(new[] { "--urls", "http://127.0.0.1:8000/api" }, "has a path")]
    [InlineData(new[] { "--protocol", "v3" }, "--protocol 'v3' is not known; use v1 or v2")]
    [InlineData(new[] { "--policies", "/no/such/policies.json" }, "does not exist")]
    [InlineData(new[] { "--schemas", "/no/such/dir" }, "does not exist")]
    [InlineData(new[] { "--db", "a.db", "--db", "b.db" }, "given more than once")]
    [InlineData(new[] { "--admin-token", "" }, "--admin-token is empty")]
    public void Mistakes_are_named_with_the_fix(string[] args, string expected)
    {
        var ex = Assert.Throws<StartupException>(() => Parse(args));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Help_is_recognised()
    {
        Assert.True(ServerOptionsParser.IsHelpRequest(new[] { "--db", "x", "--help" }));
        Assert.True(ServerOptionsParser.IsHelpRequest(new[] { "-h" }));
        Assert.False(ServerOptionsParser.IsHelpRequest(new[] { "--db", "help" }));
        Assert.Contains("--admin-token", ServerOptionsParser.Usage);
    }

    [Fact]
    public void Errors_never_echo_the_admin_token()
    {
        var ex = Assert.Throws<StartupException>(() => Parse("--admin-token", "s3cr3t-value", "--admin-token", "s3cr3t-value"));
        Assert.DoesNotContain("s3cr3t-value", ex.Message);
        Assert.DoesNotContain("s3cr3t-value", Parse("--admin-token", "s3cr3t-value").ToString());
    }
}
