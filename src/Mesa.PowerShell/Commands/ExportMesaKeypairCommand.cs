using System.Management.Automation;
using Mesa.Client;
using Mesa.PowerShell.Infrastructure;

namespace Mesa.PowerShell.Commands;

/// <summary>
/// Writes a keypair to a key file, owner-only (0600) on Unix: a line naming the format with the public key, then the
/// private key (64 hex characters). Refuses to overwrite an
/// existing file unless <c>-Force</c> is given. Read it back with <c>Import-MesaKeypair</c>.
/// </summary>
[Cmdlet(VerbsData.Export, "MesaKeypair", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportMesaKeypairCommand : MesaCmdlet
{
    /// <summary>The keypair to save.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public MesaKeypair Keypair { get; set; } = null!;

    /// <summary>The file to write.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Overwrites an existing file (the new file is owner-only whatever the old one's permissions).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Writes the file's FileInfo to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        string path;
        try
        {
            path = FileSystemPaths.Resolve(SessionState, Path);
        }
        catch (ArgumentException ex)
        {
            WriteError(ErrorIds.InvalidKeyFilePathError(ex, Path));
            return;
        }

        if (Directory.Exists(path))
        {
            WriteError(ErrorIds.KeyFilePathIsDirectoryError(path, Path));
            return;
        }

        var folder = System.IO.Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder))
        {
            WriteError(ErrorIds.KeyFileFolderNotFoundError(folder, Path));
            return;
        }

        if (File.Exists(path) && !Force)
        {
            WriteError(ErrorIds.KeyFileExistsError(path, Path));
            return;
        }

        if (!ShouldProcess(path, $"Write the private key of keypair {Keypair.PublicKeyHex}"))
        {
            return;
        }

        try
        {
            KeyFile.Write(Keypair, path, Force);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var exists = ex is IOException && !Force && File.Exists(path);
            WriteError(exists
                ? ErrorIds.KeyFileExistsError(path, Path, ex)
                : ErrorRecords.From(ex, Path));
            return;
        }

        WriteVerbose($"Wrote the private key of {Keypair.PublicKeyHex} to {path}.");
        if (PassThru)
        {
            WriteObject(new FileInfo(path));
        }
    }
}
