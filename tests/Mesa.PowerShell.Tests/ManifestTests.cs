using System.Collections;
using System.Management.Automation;
using System.Xml.Linq;
using Mesa.PowerShell.Commands;

namespace Mesa.PowerShell.Tests;

/// <summary>The manifest exports exactly the cmdlets the assembly holds; the package metadata is real.</summary>
public sealed class ManifestTests(PowerShellSession pwsh) : IClassFixture<PowerShellSession>
{
    private static readonly Type[] CmdletTypes = typeof(ConnectMesaCommand).Assembly.GetTypes()
        .Where(t => t.GetCustomAttributes(typeof(CmdletAttribute), false).Length > 0).ToArray();

    private static string NameOf(Type t)
    {
        var a = (CmdletAttribute)t.GetCustomAttributes(typeof(CmdletAttribute), false)[0];
        return $"{a.VerbName}-{a.NounName}";
    }

    [Fact]
    public void Test_module_manifest_passes_and_exports_every_cmdlet()
    {
        var result = pwsh.Run("(Test-ModuleManifest -Path $m -ErrorAction Stop).ExportedCmdlets.Keys", ("m", BuiltModule.ManifestPath)).AssertNoErrors();
        Assert.Equal(CmdletTypes.Select(NameOf).Order(StringComparer.OrdinalIgnoreCase), result.Output.Select(o => (string)o.BaseObject).Order(StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public void The_manifest_list_is_alphabetical_one_per_line()
    {
        var source = File.ReadAllText(Path.Combine(BuiltModule.RepoRoot, "Mesa.psd1"));
        var block = source[source.IndexOf("CmdletsToExport", StringComparison.Ordinal)..];
        block = block[(block.IndexOf('(') + 1)..block.IndexOf(')')];
        var lines = block.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.All(lines, l => Assert.Matches("^'[A-Za-z]+-[A-Za-z]+'$", l));
        Assert.Equal(lines.Order(StringComparer.OrdinalIgnoreCase), lines);
    }

    [Fact]
    public void The_repository_manifest_carries_the_version_of_directory_build_props()
    {
        // Directory.Build.props is the one source; build.ps1 stamps it into out/Mesa/Mesa.psd1, and the repository copy
        // must say the same so that a module imported from the source tree and the built one never disagree.
        var props = XDocument.Load(Path.Combine(BuiltModule.RepoRoot, "Directory.Build.props"));
        var version = props.Descendants("ModuleVersion").Single().Value.Trim();
        var repo = (string)pwsh.RunSingle("(Import-PowerShellDataFile -LiteralPath $p).ModuleVersion", ("p", Path.Combine(BuiltModule.RepoRoot, "Mesa.psd1"))).BaseObject;
        var built = (string)pwsh.RunSingle("(Import-PowerShellDataFile -LiteralPath $p).ModuleVersion", ("p", BuiltModule.ManifestPath)).BaseObject;
        Assert.Equal(version, repo);
        Assert.Equal(version, built);
    }

    [Fact]
    public void The_package_metadata_is_real_and_the_licence_ships()
    {
        var data = (Hashtable)pwsh.RunSingle("(Import-PowerShellDataFile -LiteralPath $p).PrivateData.PSData", ("p", Path.Combine(BuiltModule.RepoRoot, "Mesa.psd1"))).BaseObject;
        var tags = ((object[])data["Tags"]!).Cast<string>().ToArray();
        Assert.Contains("mesa", tags);
        Assert.Contains("PSEdition_Core", tags);
        Assert.All(tags, t => Assert.DoesNotContain(' ', t));
        Assert.False(string.IsNullOrWhiteSpace(data["ReleaseNotes"] as string));
        // Issue 10 asks for a LicenseUri: the licence's own public text (MIT), since the project has no address yet.
        Assert.Equal("https://opensource.org/license/mit", data["LicenseUri"] as string);
        // An address is either real and absolute, or absent: no placeholder.
        foreach (var key in new[] { "ProjectUri", "LicenseUri", "IconUri" })
        {
            if (data[key] is string uri)
            {
                Assert.True(Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.Scheme == Uri.UriSchemeHttps, $"{key} '{uri}' is not an absolute https address");
                Assert.DoesNotContain(".invalid", parsed.Host, StringComparison.OrdinalIgnoreCase);
            }
        }

        var copyright = (string)pwsh.RunSingle("(Import-PowerShellDataFile -LiteralPath $p).Copyright", ("p", Path.Combine(BuiltModule.RepoRoot, "Mesa.psd1"))).BaseObject;
        Assert.Contains("MIT", copyright);
        foreach (var license in new[] { Path.Combine(BuiltModule.RepoRoot, "LICENSE"), Path.Combine(BuiltModule.Directory, "LICENSE") })
        {
            Assert.True(File.Exists(license), $"{license} is missing");
            var text = File.ReadAllText(license);
            Assert.StartsWith("MIT License", text);
            Assert.Contains("Copyright (c) Mesa.PowerShell contributors", text);
        }
    }

    [Fact]
    public void Changes_support_should_process()
    {
        // Every cmdlet that changes state (the rule is CmdletConventionsTests'; it used to be a hand list that lacked
        // Add-MesaTurn and five more), as the imported module shows it: -WhatIf and -Confirm are there.
        var changing = CmdletConventionsTests.StateChanging();
        Assert.Contains("Add-MesaTurn", changing);
        var result = pwsh.Run(
            "$names | ForEach-Object { $p = (Get-Command $_ -Module Mesa).Parameters; '{0}={1}' -f $_, ($p.ContainsKey('WhatIf') -and $p.ContainsKey('Confirm')) }",
            ("names", changing)).AssertNoErrors();
        Assert.Equal(changing.Select(n => n + "=True"), result.Output.Select(o => (string)o.BaseObject));
    }
}
