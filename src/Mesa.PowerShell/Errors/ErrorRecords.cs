using System.Management.Automation;
using Mesa.Client;
using Mesa.PowerShell.Bulk;
using Mesa.PowerShell.LocalServer;

namespace Mesa.PowerShell.Infrastructure;

/// <summary>
/// Turns core exceptions into ErrorRecords. The error id is a contract: the server's code when it sent one
/// (<c>policy_blocked</c>, <c>authority_denied</c>, ...), else the class (<c>NotFound</c>, <c>Conflict</c>,
/// <c>BadRequest</c>, <c>Unauthorized</c>, <c>Forbidden</c>, <c>ServerError</c>, <c>ConnectionFailed</c>,
/// <c>OutcomeUnknown</c>, <c>InvalidResponse</c>);
/// PowerShell appends <c>,</c> and the cmdlet class.
/// </summary>
internal static class ErrorRecords
{
    public static ErrorRecord From(Exception exception, object? target) => exception switch
    {
        MesaException mesa => new ErrorRecord(mesa, mesa.Code ?? mesa.ErrorClass, CategoryOf(mesa), target),
        CanonicalJsonException json => new ErrorRecord(json, "InvalidCanonicalJson", ErrorCategory.InvalidData, target),
        ArgumentException argument => new ErrorRecord(argument, "InvalidArgument", ErrorCategory.InvalidArgument, target),
        InvalidOperationException invalid => new ErrorRecord(invalid, "InvalidOperation", ErrorCategory.InvalidOperation, target),
        IOException io => new ErrorRecord(io, "IOError", ErrorCategory.WriteError, target),
        UnauthorizedAccessException denied => new ErrorRecord(denied, "AccessDenied", ErrorCategory.PermissionDenied, target),
        _ => new ErrorRecord(exception, exception.GetType().Name, ErrorCategory.NotSpecified, target),
    };

    public static ErrorCategory CategoryOf(MesaException exception) => exception switch
    {
        MesaInvalidResponseException => ErrorCategory.InvalidResult,
        _ => CategoryOfStatus(exception),
    };

    private static ErrorCategory CategoryOfStatus(MesaException exception) => exception.StatusCode switch
    {
        401 => ErrorCategory.AuthenticationError,
        403 => ErrorCategory.PermissionDenied,
        404 => ErrorCategory.ObjectNotFound,
        409 => ErrorCategory.ResourceExists,
        >= 400 and < 500 => ErrorCategory.InvalidData,
        _ => ErrorCategory.ConnectionError,
    };

    /// <summary>A journal that cannot be used; the id and message are the journal's (<see cref="JournalException.ErrorId"/>).</summary>
    public static ErrorRecord FromJournal(JournalException exception, string path)
    {
        var category = exception.ErrorId switch
        {
            "JournalInUse" => ErrorCategory.ResourceBusy,
            "JournalCorrupt" => ErrorCategory.InvalidData,
            "JournalServerMismatch" => ErrorCategory.InvalidArgument,
            _ => ErrorCategory.OpenError,
        };
        return new ErrorRecord(exception, exception.ErrorId, category, path);
    }

    /// <summary>
    /// An envelope a bulk submission did not land: <paramref name="errorId"/> is the one the submission settled it
    /// with (<see cref="ErrorIds.EnvelopeNotSigned"/>, the journal's <c>OutcomeUnknownInJournal</c>), else null for a
    /// core exception.
    /// </summary>
    public static ErrorRecord FromSubmission(Exception error, string? errorId, MesaEnvelope input) => errorId switch
    {
        null => From(error, input),
        ErrorIds.EnvelopeNotSigned => new ErrorRecord(error, errorId, ErrorCategory.InvalidArgument, input),
        _ => new ErrorRecord(error, errorId, ErrorCategory.InvalidOperation, input),
    };

    /// <summary>A local server that did not start; the id and message are the launcher's (<see cref="Mesa.PowerShell.LocalServer.LocalServerStartException.ErrorId"/>).</summary>
    public static ErrorRecord FromLocalServerStart(Mesa.PowerShell.LocalServer.LocalServerStartException exception, string where) =>
        new(exception, exception.ErrorId, exception.ErrorId switch
        {
            "LocalServerMissing" or "DotnetHostNotFound" => ErrorCategory.ObjectNotFound,
            "LocalServerStartTimeout" => ErrorCategory.OperationTimeout,
            _ => ErrorCategory.OpenError,
        }, where)
        {
            ErrorDetails = new ErrorDetails(exception.Message)
            {
                RecommendedAction = exception.ErrorId switch
                {
                    "LocalServerStartTimeout" => "Pass a longer -TimeoutSec, or look at the server's output in the exception's ServerOutput.",
                    "LocalServerStartFailed" =>
                        "Fix what the server said: a taken port needs another -Port (or none, for a free one); a policies file needs fixing at -PolicyPath.",
                    _ => "Rebuild or reinstall the module, and make sure the dotnet host is on PATH.",
                },
            },
        };
}
