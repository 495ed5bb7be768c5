using Mesa.Client;

namespace Mesa.PowerShell.Tests;

/// <summary>A keypair never shows its private key, in any view, conversion or stream; the public key does show.</summary>
[Collection(OutputRenderingCollection.Name)]
public sealed class KeypairSecrecyTests(PowerShellSession pwsh) : IClassFixture<PowerShellSession>
{
    public static TheoryData<string> Renderings => new()
    {
        "$kp | Format-List * | Out-String -Width 300",
        "$kp | Format-List | Out-String -Width 300",
        "$kp | Format-Table | Out-String -Width 300",
        "$kp | Format-Table * | Out-String -Width 300",
        "$kp | Format-Custom * -Depth 5 | Out-String -Width 300",
        "$kp | Out-String -Width 300",
        "$kp | Select-Object * | Out-String -Width 300",
        "$kp | ConvertTo-Json -Depth 10",
        "$kp | ConvertTo-Csv",
        "[System.Management.Automation.PSSerializer]::Serialize($kp, 5)",
        "\"$kp\"",
        "$kp.ToString()",
        "@{ nested = @{ keypair = $kp } } | ConvertTo-Json -Depth 10",
        "$kp | Format-Wide | Out-String -Width 300",
    };

    [Theory]
    [MemberData(nameof(Renderings))]
    public void Private_key_never_appears(string rendering)
    {
        var keypair = (MesaKeypair)pwsh.Run("$kp = New-MesaKeypair; $kp").AssertNoErrors().Output.Single().BaseObject;
        var secret = keypair.ExportPrivateKeyHex();

        var text = pwsh.Run(rendering).AssertNoErrors().Text;

        Assert.Contains(keypair.PublicKeyHex, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Restoring_from_a_seed_leaks_it_in_no_stream()
    {
        const string seed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
        var result = pwsh.Run(
            "$kp = New-MesaKeypair -PrivateKeyHex (ConvertTo-SecureString $seed -AsPlainText -Force) -Verbose -Debug; $kp | Out-String",
            ("seed", seed)).AssertNoErrors();

        // RFC 8032 test 1: this seed's public key.
        Assert.Contains("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", result.Text);
        var everything = string.Join("\n", result.Text, string.Join("\n", result.Verbose.Select(v => v.Message)), string.Join("\n", result.Debug.Select(d => d.Message)));
        Assert.DoesNotContain(seed, everything, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_bad_seed_is_refused_without_echoing_it()
    {
        const string bad = "zz61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
        var result = pwsh.Run("New-MesaKeypair -PrivateKeyHex (ConvertTo-SecureString $bad -AsPlainText -Force)", ("bad", bad));
        var error = Assert.Single(result.Errors);
        Assert.Contains("hex", error.Exception.Message);
        Assert.DoesNotContain(bad, error.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(bad, error.Exception.ToString(), StringComparison.OrdinalIgnoreCase);
    }
}
