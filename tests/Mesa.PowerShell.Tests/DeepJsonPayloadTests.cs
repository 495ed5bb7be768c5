using System.Management.Automation;

namespace Mesa.PowerShell.Tests;

/// <summary>Issue 9 item 15 through the cmdlets: 10,000-deep JSON text is refused quickly, naming the limit and the path.</summary>
public sealed class DeepJsonPayloadTests(PowerShellSession pwsh) : IClassFixture<PowerShellSession>
{
    [Theory]
    [InlineData("New-MesaEnvelope -Type offer -EmittedBy me -Payload $deep -ErrorAction Stop", "payload[0][0]")]
    [InlineData("ConvertTo-MesaCanonicalJson -Json $deep -ErrorAction Stop", "[0][0]")]
    [InlineData("$deep | New-MesaEnvelope -Type offer -EmittedBy me -ErrorAction Stop", "payload[0][0]")]
    public void Ten_thousand_levels_are_refused_within_50_milliseconds(string command, string pathStart)
    {
        var deep = new string('[', 10_000) + new string(']', 10_000);
        var script =
            "$times = foreach ($i in 1..3) { $clock = [Diagnostics.Stopwatch]::StartNew(); " +
            $"try {{ {command} }} catch {{ $caught = $_ }}; $clock.Elapsed.TotalMilliseconds }}; " +
            "$times[-1]; $caught";
        var result = pwsh.Run(script, ("deep", deep));

        var milliseconds = (double)result.Output[0].BaseObject; // the last of three runs: warmed up
        var error = Assert.IsType<ErrorRecord>(result.Output[1].BaseObject);
        Assert.True(milliseconds < 50, $"{command} took {milliseconds:F1} ms");
        Assert.Contains("deeper than 256 levels", error.Exception.Message);
        Assert.Contains("at byte ", error.Exception.Message);
        Assert.StartsWith(pathStart, ((Mesa.Client.CanonicalJsonException)error.Exception).JsonPath);
    }
}
