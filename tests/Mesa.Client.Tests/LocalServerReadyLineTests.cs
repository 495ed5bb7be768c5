namespace Mesa.Client.Tests;

/// <summary>The ready line as launchers read it: the address from the server's own line, nothing from any other.</summary>
public sealed class LocalServerReadyLineTests
{
    [Theory]
    [InlineData("http://127.0.0.1:41234")]
    [InlineData("http://[::1]:8000")]
    public void A_formatted_line_reads_back_as_its_address(string url)
    {
        var line = LocalServerReadyLine.Format(url);
        Assert.True(LocalServerReadyLine.TryParse(line, out var uri));
        Assert.Equal(new Uri(url), uri);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("info: Microsoft.Hosting.Lifetime[14] Now listening on: http://127.0.0.1:5000")]
    [InlineData("Mesa local server listening on ")]
    [InlineData("Mesa local server listening on not-a-url")]
    [InlineData("Mesa local server listening on ftp://127.0.0.1:21")]
    [InlineData("  Mesa local server listening on http://127.0.0.1:1")]
    public void Any_other_line_is_not_the_ready_line(string? line)
    {
        Assert.False(LocalServerReadyLine.TryParse(line, out var uri));
        Assert.Null(uri);
    }

    [Theory]
    [InlineData("v1", MesaProfile.V1)]
    [InlineData("V2", MesaProfile.V2)]
    public void Protocol_values_name_the_profiles(string value, MesaProfile profile)
    {
        Assert.Equal(profile, LocalServerContract.ParseProtocolValue(value));
        Assert.Equal(value.ToLowerInvariant(), LocalServerContract.ProtocolValue(profile));
    }

    [Fact]
    public void An_unknown_protocol_value_names_no_profile() => Assert.Null(LocalServerContract.ParseProtocolValue("v3"));
}
