using System.Management.Automation;
using Mesa.Client;

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
}
