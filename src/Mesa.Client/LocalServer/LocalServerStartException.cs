namespace Mesa.Client;

/// <summary>A local server could not be started, or did not become ready; the message says why, in the server's words when it said any.</summary>
public sealed class LocalServerStartException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LocalServerStartException(
        string message, LocalServerStartFailure failure, int? exitCode = null, LocalServerOutput? output = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
        ExitCode = exitCode;
        Output = output ?? LocalServerOutput.Empty;
    }

    /// <summary>What went wrong.</summary>
    public LocalServerStartFailure Failure { get; }

    /// <summary>The server's exit code when it exited by itself; null when it was stopped (timeout) or never ran.</summary>
    public int? ExitCode { get; }

    /// <summary>The last lines the server wrote before it failed.</summary>
    public LocalServerOutput Output { get; }
}
