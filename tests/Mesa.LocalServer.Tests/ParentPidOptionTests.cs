using Mesa.LocalServer.Hosting;

namespace Mesa.LocalServer.Tests;

/// <summary><c>--parent-pid</c>: the option Start-MesaLocalServer passes so a server dies with its pwsh.</summary>
public sealed class ParentPidOptionTests
{
    [Fact]
    public void A_process_id_is_read()
    {
        var options = ServerOptionsParser.Parse(new[] { "--parent-pid", "4242" }, _ => null);
        Assert.Equal(4242, options.ParentProcessId);
        Assert.Null(ServerOptionsParser.Parse(Array.Empty<string>(), _ => null).ParentProcessId);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("12.5")]
    public void Anything_but_a_positive_integer_is_refused_with_the_fix(string value)
    {
        var ex = Assert.Throws<StartupException>(() => ServerOptionsParser.Parse(new[] { "--parent-pid=" + value }, _ => null));
        Assert.Contains("--parent-pid", ex.Message);
        Assert.Contains("positive integer", ex.Message);
    }

    [Fact]
    public void Given_twice_is_refused()
    {
        var ex = Assert.Throws<StartupException>(() => ServerOptionsParser.Parse(new[] { "--parent-pid", "1", "--parent-pid", "2" }, _ => null));
        Assert.Contains("more than once", ex.Message);
    }
}
