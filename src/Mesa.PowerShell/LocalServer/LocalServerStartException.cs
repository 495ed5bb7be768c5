namespace Mesa.PowerShell.LocalServer;

/// <summary>The bundled server could not be started, or did not become ready; the message says why.</summary>
public sealed class LocalServerStartException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LocalServerStartException(
        string message, string errorId, int? exitCode = null, IReadOnlyList<string>? serverOutput = null, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorId = errorId;
        ExitCode = exitCode;
        ServerOutput = serverOutput ?? Array.Empty<string>();
    }

    /// <summary>
    /// The error id the cmdlet reports: <c>LocalServerStartFailed</c> (it exited), <c>LocalServerStartTimeout</c>,
    /// <c>LocalServerMissing</c> (not in the module folder) or <c>DotnetHostNotFound</c>.
    /// </summary>
    public string ErrorId { get; }

    /// <summary>The server's exit code when it exited; null when it was stopped by us (timeout) or never ran.</summary>
    public int? ExitCode { get; }

    /// <summary>The last lines the server wrote before it failed.</summary>
    public IReadOnlyList<string> ServerOutput { get; }
}
