using System.Management.Automation;
using Mesa.Client;
using Mesa.PowerShell.Infrastructure;

namespace Mesa.PowerShell.Commands;

/// <summary>
/// Reads a keypair from a key file written by <c>Export-MesaKeypair</c> (a format line with the public key, then the
/// 64 hex characters of the seed), or from a bare seed line as earlier versions wrote.
/// </summary>
[Cmdlet(VerbsData.Import, "MesaKeypair")]
[OutputType(typeof(MesaKeypair))]
public sealed class ImportMesaKeypairCommand : MesaCmdlet
{
    /// <summary>The key file; accepts FileInfo objects from the pipeline (FullName).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

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

        MesaKeypair keypair;
        try
        {
            keypair = KeyFile.Read(path);
        }
        catch (FileNotFoundException ex)
        {
            WriteError(ErrorIds.KeyFileNotFoundError(ex, Path));
            return;
        }
        catch (InvalidDataException ex)
        {
            WriteError(ErrorIds.InvalidKeyFileError(ex, Path));
            return;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            WriteError(ErrorRecords.From(ex, Path));
            return;
        }

        if (KeyFile.IsReadableByOthers(path, out var mode))
        {
            WriteWarning($"The key file '{path}' can be read or written by other users (mode {Convert.ToString((int)mode, 8).PadLeft(4, '0')}). Restrict it with: chmod 600 '{path}'.");
        }

        WriteObject(Wrap(keypair, TypeNames.Keypair));
    }
}
