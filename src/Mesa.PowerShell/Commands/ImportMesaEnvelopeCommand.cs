using System.Management.Automation;
using Mesa.Client;
using Mesa.PowerShell.Infrastructure;

namespace Mesa.PowerShell.Commands;

/// <summary>
/// Reads signed envelopes back from a JSON Lines file written by Export-MesaEnvelope, byte for byte, so their
/// signatures verify as before. The file is streamed, one line at a time. A line that is not an envelope in its exact
/// wire form is an error naming the file and the line number, and the lines after it are still read; blank lines are
/// skipped.
/// </summary>
[Cmdlet(VerbsData.Import, "MesaEnvelope")]
[OutputType(typeof(MesaEnvelope))]
public sealed class ImportMesaEnvelopeCommand : MesaCmdlet
{
    /// <summary>The JSON Lines file; accepts FileInfo objects from the pipeline (FullName).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The profile the envelopes must have; without it, each line's own (v2 lines have a deliberation_id member).</summary>
    [Parameter]
    public MesaProfile? Profile { get; set; }

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
            WriteError(ErrorIds.InvalidEnvelopeFilePathError(ex, Path));
            return;
        }

        if (Directory.Exists(path))
        {
            WriteError(ErrorIds.EnvelopeFilePathIsDirectoryError(path, Path));
            return;
        }

        if (!File.Exists(path))
        {
            WriteError(ErrorIds.EnvelopeFileNotFoundError(path, Path));
            return;
        }

        try
        {
            using var reader = new JsonLinesReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan));
            while (reader.TryReadLine(out var line, out var tooLong))
            {
                if (StopToken.IsCancellationRequested) throw new PipelineStoppedException();
                var bytes = line.Span;
                if (reader.LineNumber == 1 && bytes.StartsWith("\uFEFF"u8)) bytes = bytes[3..]; // tolerate a BOM an editor added
                if (tooLong)
                {
                    WriteLineError(path, reader.LineNumber, $"the line is longer than {JsonLinesReader.MaxLineBytes / (1024 * 1024)} MiB, so it is not an envelope.", null);
                    continue;
                }

                if (bytes.Trim(" \t\r"u8).IsEmpty) continue;

                MesaEnvelope envelope;
                try
                {
                    envelope = MesaEnvelope.FromWireJson(bytes, Profile);
                }
                catch (ArgumentException ex)
                {
                    WriteLineError(path, reader.LineNumber, ex.Message, ex);
                    continue;
                }

                WriteObject(Wrap(envelope, TypeNames.Envelope));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            WriteItemError(ex, Path);
        }
    }

    private void WriteLineError(string path, long line, string problem, Exception? inner)
    {
        WriteError(ErrorIds.InvalidEnvelopeLineError(path, line, problem, inner));
    }
}
