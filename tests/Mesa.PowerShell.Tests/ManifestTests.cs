using System.Management.Automation;
using Mesa.PowerShell.Commands;

namespace Mesa.PowerShell.Tests;

/// <summary>The manifest exports exactly the cmdlets the assembly holds, each with an OutputType.</summary>
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
    public void TestModuleManifestPassesAndExportsEveryCmdlet()
    {
        var result = pwsh.Run("(Test-ModuleManifest -Path $m -ErrorAction Stop).ExportedCmdlets.Keys", ("m", BuiltModule.ManifestPath)).AssertNoErrors();
        Assert.Equal(CmdletTypes.Select(NameOf).Order(StringComparer.OrdinalIgnoreCase), result.Output.Select(o => (string)o.BaseObject).Order(StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public void TheManifestListIsAlphabeticalOnePerLine()
    {
        var source = File.ReadAllText(Path.Combine(BuiltModule.RepoRoot, "Mesa.psd1"));
        var block = source[source.IndexOf("CmdletsToExport", StringComparison.Ordinal)..];
        block = block[(block.IndexOf('(') + 1)..block.IndexOf(')')];
        var lines = block.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.All(lines, l => Assert.Matches("^'[A-Za-z]+-[A-Za-z]+'$", l));
        Assert.Equal(lines.Order(StringComparer.OrdinalIgnoreCase), lines);
    }

    [Fact]
    public void EveryCmdletDeclaresItsOutputType()
    {
        Assert.All(CmdletTypes, t => Assert.True(t.GetCustomAttributes(typeof(OutputTypeAttribute), false).Length > 0, $"{t.Name} has no [OutputType]"));
    }

    [Fact]
    public void ChangesSupportShouldProcess()
    {
        string[] changing = ["Export-MesaKeypair", "New-MesaPrincipal", "Set-MesaCapability", "Submit-MesaCommitment", "Disconnect-Mesa"];
        var result = pwsh.Run("$names | ForEach-Object { (Get-Command $_).Parameters.ContainsKey('WhatIf') }", ("names", changing)).AssertNoErrors();
        Assert.All(result.Output, o => Assert.True((bool)o.BaseObject));
    }
}
