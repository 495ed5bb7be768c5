namespace Mesa.LocalServer.Hosting;

/// <summary>
/// The server cannot start as configured (a bad option, a broken policies or schema file, a database it cannot
/// open, a port it cannot bind). The message names the problem and the fix; the process exits with code 2.
/// </summary>
public sealed class StartupException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StartupException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
