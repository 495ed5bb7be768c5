namespace Mesa.PowerShell.Infrastructure;

/// <summary>
/// Reads a JSON Lines file as raw UTF-8 lines (no decoding, so the bytes stay exactly as written), one buffer at a
/// time: memory is bounded by the longest line, itself capped at <see cref="MaxLineBytes"/>.
/// </summary>
internal sealed class JsonLinesReader(Stream stream) : IDisposable
{
    /// <summary>The longest line kept; a longer one is reported as too long and skipped (16 MiB, far above any envelope).</summary>
    public const int MaxLineBytes = 16 * 1024 * 1024;

    private byte[] _buffer = new byte[64 * 1024];
    private int _start;   // first byte of the current line
    private int _scanned; // bytes from _start already known to hold no newline
    private int _end;     // end of the data read so far
    private bool _eof;
    private bool _skipping; // inside a line longer than the cap: its bytes are dropped up to the next newline

    /// <summary>The 1-based number of the line last returned.</summary>
    public long LineNumber { get; private set; }

    /// <summary>
    /// The next line without its <c>\n</c> (and without a <c>\r</c> before it); valid until the next call. False at
    /// the end of the file. <paramref name="tooLong"/> is set (and the line empty) for a line over the cap.
    /// </summary>
    public bool TryReadLine(out ReadOnlyMemory<byte> line, out bool tooLong)
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_start + _scanned, _end - _start - _scanned).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var length = _scanned + newline;
                line = Trim(_buffer.AsMemory(_start, length));
                tooLong = _skipping;
                if (_skipping) line = ReadOnlyMemory<byte>.Empty;
                _skipping = false;
                _start += length + 1;
                _scanned = 0;
                LineNumber++;
                return true;
            }

            _scanned = _end - _start;
            if (_eof)
            {
                if (_end == _start && !_skipping)
                {
                    line = default;
                    tooLong = false;
                    return false;
                }

                line = _skipping ? ReadOnlyMemory<byte>.Empty : Trim(_buffer.AsMemory(_start, _end - _start));
                tooLong = _skipping;
                _skipping = false;
                _start = _end;
                _scanned = 0;
                LineNumber++;
                return true;
            }

            Fill();
        }
    }

    private void Fill()
    {
        if (_start > 0)
        {
            // Keep the partial line, drop what was returned.
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            if (_buffer.Length < MaxLineBytes)
            {
                Array.Resize(ref _buffer, Math.Min(MaxLineBytes, _buffer.Length * 2));
            }
            else
            {
                // Over the cap: forget this line's bytes and look for its end.
                _skipping = true;
                _end = 0;
                _scanned = 0;
            }
        }

        var read = stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0) _eof = true;
        _end += read;
    }

    private static ReadOnlyMemory<byte> Trim(ReadOnlyMemory<byte> line) =>
        line.Length > 0 && line.Span[^1] == (byte)'\r' ? line[..^1] : line;

    /// <inheritdoc />
    public void Dispose() => stream.Dispose();
}
