namespace Mesa.Client;

/// <summary>
/// The last lines a local server wrote, as they were when this snapshot was taken: both streams in the order they
/// arrived, and each stream alone. Bounded by <see cref="LocalServerStartInfo.OutputLines"/>.
/// </summary>
public sealed class LocalServerOutput
{
    /// <summary>Creates a snapshot.</summary>
    public LocalServerOutput(IReadOnlyList<string> lines, IReadOnlyList<string> standardOutput, IReadOnlyList<string> standardError)
    {
        Lines = lines ?? throw new ArgumentNullException(nameof(lines));
        StandardOutput = standardOutput ?? throw new ArgumentNullException(nameof(standardOutput));
        StandardError = standardError ?? throw new ArgumentNullException(nameof(standardError));
    }

    /// <summary>No output at all.</summary>
    public static LocalServerOutput Empty { get; } = new(Array.Empty<string>(), Array.Empty<string>(), Array.Empty<string>());

    /// <summary>stdout and stderr together, oldest first.</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>stdout alone (the ready line first, when it came).</summary>
    public IReadOnlyList<string> StandardOutput { get; }

    /// <summary>stderr alone: the server's verdict on a failed start, and its log.</summary>
    public IReadOnlyList<string> StandardError { get; }

    /// <summary>The server's own diagnostic lines (<see cref="LocalServerContract.DiagnosticPrefix"/>), oldest first.</summary>
    public IReadOnlyList<string> Diagnostics =>
        Lines.Where(l => l.StartsWith(LocalServerContract.DiagnosticPrefix, StringComparison.Ordinal)).ToArray();
}
