using Mesa.Client;

namespace Mesa.PowerShell.Tests;

/// <summary>Export-MesaKeypair / Import-MesaKeypair against real files in a temporary folder.</summary>
public sealed class KeyFileTests(PowerShellSession pwsh) : IClassFixture<PowerShellSession>, IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly string _folder = Directory.CreateTempSubdirectory("mesa-keyfile-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string PathOf(string name) => Path.Combine(_folder, name);

    [Fact]
    public void RoundTripRestoresTheSameKeyFromAnOwnerOnlyFile()
    {
        var path = PathOf("agent.key");
        var result = pwsh.Run("$kp = New-MesaKeypair; $kp | Export-MesaKeypair -Path $path; $back = Import-MesaKeypair -Path $path; $kp; $back", ("path", path)).AssertNoErrors();
        var original = (MesaKeypair)result.Output[0].BaseObject;
        var restored = (MesaKeypair)result.Output[1].BaseObject;

        Assert.Equal(original.PublicKeyHex, restored.PublicKeyHex);
        Assert.Equal(original.ExportPrivateKeyHex() + "\n", File.ReadAllText(path));
        Assert.Equal("Mesa.Keypair", result.Output[1].TypeNames[0]);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void AnExistingFileIsNotOverwrittenWithoutForce()
    {
        var path = PathOf("taken.key");
        File.WriteAllText(path, "keep me");
        var result = pwsh.Run("New-MesaKeypair | Export-MesaKeypair -Path $path", ("path", path));

        var error = Assert.Single(result.Errors);
        Assert.Equal("KeyFileExists,Mesa.PowerShell.Commands.ExportMesaKeypairCommand", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.ResourceExists, error.CategoryInfo.Category);
        Assert.Contains("-Force", error.Exception.Message);
        Assert.Equal("keep me", File.ReadAllText(path));
    }

    [Fact]
    public void ForceReplacesTheFileWithAnOwnerOnlyOne()
    {
        var path = PathOf("loose.key");
        File.WriteAllText(path, "old");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var result = pwsh.Run("$kp = New-MesaKeypair; $kp | Export-MesaKeypair -Path $path -Force -PassThru; $kp", ("path", path)).AssertNoErrors();

        Assert.IsType<FileInfo>(result.Output[0].BaseObject);
        Assert.Equal(((MesaKeypair)result.Output[1].BaseObject).ExportPrivateKeyHex() + "\n", File.ReadAllText(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(path));
        }

        Assert.Equal(["loose.key"], Directory.GetFiles(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public void WhatIfWritesNothing()
    {
        var path = PathOf("whatif.key");
        pwsh.Run("New-MesaKeypair | Export-MesaKeypair -Path $path -WhatIf", ("path", path)).AssertNoErrors();
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void AMissingFolderIsNamed()
    {
        var path = Path.Combine(_folder, "no-such-folder", "k.key");
        var error = Assert.Single(pwsh.Run("New-MesaKeypair | Export-MesaKeypair -Path $path", ("path", path)).Errors);
        Assert.Equal("KeyFileFolderNotFound,Mesa.PowerShell.Commands.ExportMesaKeypairCommand", error.FullyQualifiedErrorId);
        Assert.Contains("no-such-folder", error.Exception.Message);
    }

    [Fact]
    public void ImportingAMissingFileSaysHowToMakeOne()
    {
        var path = PathOf("missing.key");
        var error = Assert.Single(pwsh.Run("Import-MesaKeypair -Path $path", ("path", path)).Errors);
        Assert.Equal("KeyFileNotFound,Mesa.PowerShell.Commands.ImportMesaKeypairCommand", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains("Export-MesaKeypair", error.Exception.Message);
        Assert.Equal(path, error.TargetObject);
    }

    [Theory]
    [InlineData("my-secret-passphrase-not-a-key")]
    [InlineData("zz61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")]
    [InlineData("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f6")]
    public void ImportingBadContentIsRefusedWithoutQuotingIt(string content)
    {
        var path = PathOf("bad.key");
        File.WriteAllText(path, content);
        var error = Assert.Single(pwsh.Run("Import-MesaKeypair -Path $path", ("path", path)).Errors);

        Assert.Equal("InvalidKeyFile,Mesa.PowerShell.Commands.ImportMesaKeypairCommand", error.FullyQualifiedErrorId);
        Assert.Contains("64 hex characters", error.Exception.Message);
        Assert.DoesNotContain(content, error.ToString());
        Assert.DoesNotContain(content, error.Exception.ToString());
    }

    [Fact]
    public void ImportWarnsAboutAFileOthersCanRead()
    {
        if (OperatingSystem.IsWindows()) return; // Unix permissions only.
        var path = PathOf("open.key");
        File.WriteAllText(path, "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60\n");
        File.SetUnixFileMode(path, OwnerOnly | UnixFileMode.OtherRead);

        var result = pwsh.Run("Get-Item $path | Import-MesaKeypair", ("path", path)).AssertNoErrors();

        Assert.Equal("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", ((MesaKeypair)Assert.Single(result.Output).BaseObject).PublicKeyHex);
        Assert.Contains("chmod 600", Assert.Single(result.Warnings).Message);
    }
}
