using System.Management.Automation;
using Mesa.Client;
using Mesa.PowerShell.Infrastructure;

namespace Mesa.PowerShell.Commands;

/// <summary>
/// Writes signed envelopes to a JSON Lines file: each envelope's exact wire JSON (the bytes Submit-MesaCommitment
/// sends) on its own line, UTF-8 without a BOM, lines ending in <c>\n</c>. Read them back with Import-MesaEnvelope.
/// An unsigned envelope is refused (it has no wire form) and the others are still written.
/// </summary>
[Cmdlet(VerbsData.Export, "MesaEnvelope", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportMesaEnvelopeCommand : MesaCmdlet
{
    private FileStream? _file;
    private string _resolved = "";
    private long _written;

    /// <summary>The file to write.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The signed envelopes to write; from the pipeline.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public MesaEnvelope Envelope { get; set; } = null!;

    /// <summary>Adds to the end of the file (made if missing) instead of writing a new one.</summary>
    [Parameter]
    public SwitchParameter Append { get; set; }

    /// <summary>Replaces an existing file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Writes the file's FileInfo to the pipeline at the end.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        try
        {
            _resolved = FileSystemPaths.Resolve(SessionState, Path);
        }
        catch (ArgumentException ex)
        {
            ThrowTerminatingError(ErrorIds.InvalidEnvelopeFilePathError(ex, Path));
        }

        if (Directory.Exists(_resolved))
        {
            ThrowTerminatingError(ErrorIds.EnvelopeFilePathIsDirectoryError(_resolved, Path));
        }

        var folder = System.IO.Path.GetDirectoryName(_resolved);
        if (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder))
        {
            ThrowTerminatingError(ErrorIds.EnvelopeFileFolderNotFoundError(folder, Path));
        }

        if (!Append && !Force && File.Exists(_resolved))
        {
            ThrowTerminatingError(ErrorIds.EnvelopeFileExistsError(_resolved, Path));
        }

        if (!ShouldProcess(_resolved, Append ? "Append signed envelopes" : "Write signed envelopes"))
        {
            return;
        }

        try
        {
            var mode = Append ? FileMode.Append : Force ? FileMode.Create : FileMode.CreateNew;
            _file = new FileStream(_resolved, mode, FileAccess.Write, FileShare.Read, bufferSize: 64 * 1024);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ThrowError(ex, Path);
        }
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (_file is null) return; // -WhatIf

        if (!Envelope.IsSigned)
        {
            WriteError(ErrorIds.EnvelopeNotSignedError(Envelope, "written (an unsigned envelope has no wire form)", null));
            return;
        }

        try
        {
            _file.Write(Envelope.ToWireBytes());
            _file.WriteByte((byte)'\n');
            _written++;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ThrowError(ex, Envelope);
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (_file is null) return;
        try
        {
            _file.Flush(flushToDisk: true);
        }
        catch (IOException ex)
        {
            ThrowError(ex, Path);
        }

        Close();
        WriteVerbose($"Wrote {_written} envelope(s) to {_resolved}.");
        if (PassThru) WriteObject(new FileInfo(_resolved));
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        // After a stop or a terminating error EndProcessing never runs: the lines written so far are still flushed here.
        if (disposing) Close();
        base.Dispose(disposing);
    }

    private void Close()
    {
        _file?.Dispose();
        _file = null;
    }
}
