using Mesa.Client;

namespace Mesa.PowerShell.LocalServer;

/// <summary>
/// The bundled server could not be started, or did not become ready; the message says why. What Start-MesaLocalServer
/// reports: the launcher's <see cref="Mesa.Client.LocalServerStartException"/> (its <see cref="Exception.InnerException"/>
/// when there is one) with the error id and the module's advice.
/// </summary>
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

    /// <summary>The module's account of a failed start of the bundled server at <paramref name="serverPath"/>.</summary>
    internal static LocalServerStartException From(Mesa.Client.LocalServerStartException failure, string serverPath)
    {
        var output = failure.Output.Lines;
        return failure.Failure switch
        {
            LocalServerStartFailure.ServerMissing => new LocalServerStartException(
                $"The bundled server is missing: {serverPath} does not exist. Rebuild the module (./build.ps1 Build) or reinstall it.",
                "LocalServerMissing", innerException: failure),
            LocalServerStartFailure.HostNotFound => new LocalServerStartException(
                failure.Message, "DotnetHostNotFound", innerException: failure.InnerException ?? failure),
            LocalServerStartFailure.TimedOut => new LocalServerStartException(
                failure.Message + " A busy machine may need a longer -TimeoutSec.", "LocalServerStartTimeout", serverOutput: output, innerException: failure),
            _ => new LocalServerStartException(failure.Message, "LocalServerStartFailed", failure.ExitCode, output, failure),
        };
    }
}
