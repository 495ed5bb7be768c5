using System.Text;
using System.Text.RegularExpressions;

namespace Mesa.PowerShell.Bulk;

/// <summary>
/// An append-only JSON Lines file with one line per envelope outcome, for one server. Opening it reads and checks
/// every line (the latest line per envelope wins) and takes an exclusive lock (a sibling <c>.lock</c> file held for
/// the run), so two submissions never interleave one journal; the journal itself stays readable by others.
/// Appends are thread-safe and each is flushed to disk before <see cref="Append"/> returns.
/// </summary>
internal sealed partial class SubmissionJournal : IDisposable
{
    private readonly object _gate = new();
    private readonly object _syncGate = new();
    private readonly FileStream _lock;
    private readonly FileStream _file;
    private readonly Dictionary<string, JournalEntry> _latest;
    private long _written, _synced;
    private bool _disposed;

    private SubmissionJournal(string path, string server, FileStream lockFile, FileStream file, Dictionary<string, JournalEntry> latest, int lines)
    {
        Path = path;
        Server = server;
        _lock = lockFile;
        _file = file;
        _latest = latest;
        LineCount = lines;
    }

    /// <summary>The journal file.</summary>
    public string Path { get; }

    /// <summary>The server this journal belongs to (its base URI).</summary>
    public string Server { get; }

    /// <summary>Lines read when it was opened plus lines appended since.</summary>
    public int LineCount { get; private set; }

    /// <summary>A warning about the file found on opening (a last line cut short by a killed run), or null.</summary>
    public string? Warning { get; private set; }

    /// <summary>The lock file held while the journal is open.</summary>
    public static string LockPathOf(string path) => path + ".lock";

    /// <summary>
    /// Opens (or creates) the journal at <paramref name="path"/> for <paramref name="server"/>. A last line cut short
    /// (no newline, not valid: a run killed while writing it) is removed with a <see cref="Warning"/>; when it still
    /// names its envelope, that envelope is recorded as <c>unknown</c>, since its outcome was lost.
    /// </summary>
    /// <exception cref="JournalException">
    /// <c>JournalInUse</c> (another submission holds it), <c>JournalCorrupt</c> (a bad line, named by number),
    /// <c>JournalServerMismatch</c> (a line of another server) or <c>JournalUnavailable</c> (it cannot be opened).
    /// </exception>
    public static SubmissionJournal Open(string path, string server)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(server);
        FileStream? lockFile = null;
        FileStream? file = null;
        try
        {
            try
            {
                // FileShare.None is an exclusive lock on every platform (flock on Unix), across processes and within one.
                lockFile = new FileStream(LockPathOf(path), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
            {
                throw new JournalException(
                    $"The journal {path} is in use by another running submission (its lock file {LockPathOf(path)} is held). " +
                    "Wait for that submission to finish, or give this one another -JournalPath.",
                    "JournalInUse", ex);
            }

            // Unbuffered: every Write reaches the OS at once (a killed process loses nothing written), and one fsync
            // may run while other workers write (see Append).
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
            var latest = new Dictionary<string, JournalEntry>(StringComparer.Ordinal);
            var (lines, torn) = Read(file, path, server, latest);
            var journal = new SubmissionJournal(path, server, lockFile, file, latest, lines);
            if (torn is not null) journal.RepairTornLine(torn.Value.Offset, torn.Value.Text, lines + 1);
            lockFile = null;
            file = null;
            return journal;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException && ex is not JournalException)
        {
            throw new JournalException($"Cannot open the journal {path}: {ex.Message}", "JournalUnavailable", ex);
        }
        finally
        {
            file?.Dispose();
            lockFile?.Dispose();
        }
    }

    /// <summary>The latest entry for an envelope, or null when the journal has none.</summary>
    public JournalEntry? Latest(string envelopeId)
    {
        lock (_gate)
        {
            return _latest.TryGetValue(envelopeId, out var entry) ? entry : null;
        }
    }

    /// <summary>
    /// Appends one line and returns once it is on disk. Thread-safe. Concurrent appends share their flushes (group
    /// commit): one fsync covers every line written before it, so eight workers do not queue for eight fsyncs.
    /// </summary>
    /// <exception cref="IOException">The line could not be written (disk full, ...).</exception>
    public void Append(JournalEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var line = entry.ToJsonLine();
        long ticket;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _file.Write(line);
            _latest[entry.EnvelopeId] = entry;
            LineCount++;
            ticket = Interlocked.Increment(ref _written);
        }

        lock (_syncGate)
        {
            if (_synced >= ticket) return;
            var upTo = Interlocked.Read(ref _written);
            ObjectDisposedException.ThrowIf(_disposed, this);
            _file.Flush(flushToDisk: true);
            _synced = upTo;
        }
    }

    /// <summary>Releases the file and the lock.</summary>
    public void Dispose()
    {
        lock (_syncGate)
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _file.Dispose();
            _lock.Dispose();
        }
    }

    private static (int Lines, (long Offset, string Text)? Torn) Read(FileStream file, string path, string server, Dictionary<string, JournalEntry> latest)
    {
        var bytes = new byte[file.Length];
        file.ReadExactly(bytes);
        var start = 0;
        var number = 0;
        var utf8 = new UTF8Encoding(false, true);
        while (start < bytes.Length)
        {
            number++;
            var end = Array.IndexOf(bytes, (byte)'\n', start);
            var complete = end >= 0;
            var length = (complete ? end : bytes.Length) - start;
            string text;
            try
            {
                text = utf8.GetString(bytes, start, length).TrimEnd('\r');
            }
            catch (DecoderFallbackException)
            {
                if (!complete) return (number - 1, (start, "(not UTF-8)"));
                throw Corrupt(path, number, "it is not UTF-8 text");
            }

            if (text.Trim().Length > 0)
            {
                var entry = JournalEntry.TryParse(text, out var problem);
                if (entry is null)
                {
                    // Only the very last line may be cut short: a run killed in the middle of writing it.
                    if (!complete) return (number - 1, (start, text));
                    throw Corrupt(path, number, problem!);
                }

                if (!string.Equals(entry.Server, server, StringComparison.Ordinal))
                {
                    throw new JournalException(
                        $"The journal {path} belongs to another server: line {number} records {entry.Server}, but this submission goes to {server}. " +
                        "Give a -JournalPath of its own for each server.",
                        "JournalServerMismatch");
                }

                latest[entry.EnvelopeId] = entry;
            }

            if (!complete)
            {
                // A last line that is whole but lost its newline: keep it, and end it so the next line starts on its own.
                file.Seek(0, SeekOrigin.End);
                file.WriteByte((byte)'\n');
                file.Flush(true);
                return (number, null);
            }

            start = end + 1;
        }

        file.Seek(0, SeekOrigin.End);
        return (number, null);
    }

    private void RepairTornLine(long offset, string text, int number)
    {
        _file.SetLength(offset);
        _file.Seek(0, SeekOrigin.End);
        _file.Flush(true);
        var id = TornEnvelopeId().Match(text);
        if (id.Success)
        {
            Append(new JournalEntry
            {
                EnvelopeId = id.Groups[1].Value,
                Outcome = JournalOutcome.Unknown,
                Time = DateTimeOffset.UtcNow,
                Server = Server,
                Reason = "the journal line recording its outcome was cut short (the run writing it was killed); check whether it landed",
            });
            Warning = $"The last line of the journal {Path} (line {number}) was cut short, as when a run is killed while writing it; it was removed and its envelope {id.Groups[1].Value} is now recorded as unknown.";
        }
        else
        {
            Warning = $"The last line of the journal {Path} (line {number}) was cut short, as when a run is killed while writing it, and it no longer names its envelope; it was removed. One envelope's outcome may be missing from the journal: compare the deliberation with the journal before resending.";
        }
    }

    private static JournalException Corrupt(string path, int number, string problem) =>
        new($"The journal {path} is corrupt at line {number}: {problem}. Nothing was sent. Fix or remove that line, or give another -JournalPath.", "JournalCorrupt");

    [GeneratedRegex("^\\{\"envelope_id\":\"([^\"\\\\]+)\"")]
    private static partial Regex TornEnvelopeId();
}
