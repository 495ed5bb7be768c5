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
    public void Round_trip_restores_the_same_key_from_an_owner_only_file()
    {
        var path = PathOf("agent.key");
        var result = pwsh.Run("$kp = New-MesaKeypair; $kp | Export-MesaKeypair -Path $path; $back = Import-MesaKeypair -Path $path; $kp; $back", ("path", path)).AssertNoErrors();
        var original = (MesaKeypair)result.Output[0].BaseObject;
        var restored = (MesaKeypair)result.Output[1].BaseObject;

        Assert.Equal(original.PublicKeyHex, restored.PublicKeyHex);
        Assert.Equal($"mesa-ed25519-seed-v1 public={original.PublicKeyHex}\n{original.ExportPrivateKeyHex()}\n", File.ReadAllText(path));
        Assert.Equal("Mesa.Keypair", result.Output[1].TypeNames[0]);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void An_existing_file_is_not_overwritten_without_force()
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
    public void Force_replaces_the_file_with_an_owner_only_one()
    {
        var path = PathOf("loose.key");
        File.WriteAllText(path, "old");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var result = pwsh.Run("$kp = New-MesaKeypair; $kp | Export-MesaKeypair -Path $path -Force -PassThru; $kp", ("path", path)).AssertNoErrors();

        Assert.IsType<FileInfo>(result.Output[0].BaseObject);
        var written = (MesaKeypair)result.Output[1].BaseObject;
        Assert.Equal($"mesa-ed25519-seed-v1 public={written.PublicKeyHex}\n{written.ExportPrivateKeyHex()}\n", File.ReadAllText(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(path));
        }

        Assert.Equal(["loose.key"], Directory.GetFiles(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public void What_if_writes_nothing()
    {
        var path = PathOf("whatif.key");
        pwsh.Run("New-MesaKeypair | Export-MesaKeypair -Path $path -WhatIf", ("path", path)).AssertNoErrors();
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void A_missing_folder_is_named()
    {
        var path = Path.Combine(_folder, "no-such-folder", "k.key");
        var error = Assert.Single(pwsh.Run("New-MesaKeypair | Export-MesaKeypair -Path $path", ("path", path)).Errors);
        Assert.Equal("KeyFileFolderNotFound,Mesa.PowerShell.Commands.ExportMesaKeypairCommand", error.FullyQualifiedErrorId);
        Assert.Contains("no-such-folder", error.Exception.Message);
    }

    [Fact]
    public void Importing_a_missing_file_says_how_to_make_one()
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
    public void Importing_bad_content_is_refused_without_quoting_it(string content)
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
    public void Import_warns_about_a_file_others_can_read()
    {
        if (OperatingSystem.IsWindows()) return; // Unix permissions only.
        var path = PathOf("open.key");
        File.WriteAllText(path, "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60\n");
        File.SetUnixFileMode(path, OwnerOnly | UnixFileMode.OtherRead);

        var result = pwsh.Run("Get-Item $path | Import-MesaKeypair", ("path", path)).AssertNoErrors();

        Assert.Equal("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", ((MesaKeypair)Assert.Single(result.Output).BaseObject).PublicKeyHex);
        Assert.Contains("chmod 600", Assert.Single(result.Warnings).Message);
    }

    // Issue 9 item 14: a directory is named as one, the file says what it holds, and old files still read.

    [Fact]
    public void Importing_a_directory_says_it_is_a_directory()
    {
        var error = Assert.Single(pwsh.Run("Import-MesaKeypair -Path $path", ("path", _folder)).Errors);
        Assert.Equal("KeyFilePathIsDirectory,Mesa.PowerShell.Commands.ImportMesaKeypairCommand", error.FullyQualifiedErrorId);
        Assert.Contains("is a directory", error.Exception.Message);
        Assert.DoesNotContain("does not exist", error.Exception.Message);
    }

    [Fact]
    public void A_bare_hex_file_of_earlier_versions_still_imports()
    {
        var path = PathOf("old.key");
        File.WriteAllText(path, "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, OwnerOnly);

        var keypair = (MesaKeypair)pwsh.RunSingle("Import-MesaKeypair -Path $path", ("path", path)).BaseObject;
        Assert.Equal("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", keypair.PublicKeyHex);
    }

    [Fact]
    public void A_file_whose_public_key_is_not_its_seeds_is_refused_without_showing_the_seed()
    {
        var path = PathOf("mixed.key");
        var mine = MesaKeypair.Generate();
        var other = MesaKeypair.Generate();
        File.WriteAllText(path, $"mesa-ed25519-seed-v1 public={other.PublicKeyHex}\n{mine.ExportPrivateKeyHex()}\n");

        var error = Assert.Single(pwsh.Run("Import-MesaKeypair -Path $path", ("path", path)).Errors);

        Assert.Equal("InvalidKeyFile,Mesa.PowerShell.Commands.ImportMesaKeypairCommand", error.FullyQualifiedErrorId);
        Assert.Contains(other.PublicKeyHex, error.Exception.Message);
        Assert.Contains(mine.PublicKeyHex, error.Exception.Message);
        Assert.Contains("put together from two keys", error.Exception.Message);
        Assert.DoesNotContain(mine.ExportPrivateKeyHex(), error.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(mine.ExportPrivateKeyHex(), error.Exception.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_recorded_public_key_in_uppercase_is_the_same_key()
    {
        var path = PathOf("upper.key");
        var keys = MesaKeypair.Generate();
        File.WriteAllText(path, $"mesa-ed25519-seed-v1 public={keys.PublicKeyHex.ToUpperInvariant()}\r\n{keys.ExportPrivateKeyHex()}\r\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, OwnerOnly);

        Assert.Equal(keys.PublicKeyHex, ((MesaKeypair)pwsh.RunSingle("Import-MesaKeypair -Path $path", ("path", path)).BaseObject).PublicKeyHex);
    }

    [Theory]
    [InlineData("mesa-ed25519-seed-v9 public=abc\n{seed}\n", "names the format 'mesa-ed25519-seed-v9'")]
    [InlineData("mesa-ed25519-seed-v1 public=xyz\n{seed}\n", "is damaged")]
    [InlineData("mesa-ed25519-seed-v1 public={public}\n", "64 hex characters of the private key")]
    [InlineData("{seed}\n{seed}\n", "holds 2 non-empty lines")]
    public void A_format_line_that_is_wrong_or_alone_is_refused_by_what_is_wrong(string template, string expected)
    {
        var path = PathOf("odd.key");
        var keys = MesaKeypair.Generate();
        File.WriteAllText(path, template.Replace("{seed}", keys.ExportPrivateKeyHex()).Replace("{public}", keys.PublicKeyHex));

        var error = Assert.Single(pwsh.Run("Import-MesaKeypair -Path $path", ("path", path)).Errors);
        Assert.Equal("InvalidKeyFile,Mesa.PowerShell.Commands.ImportMesaKeypairCommand", error.FullyQualifiedErrorId);
        Assert.Contains(expected, error.Exception.Message);
        Assert.DoesNotContain(keys.ExportPrivateKeyHex(), error.ToString());
    }
}
