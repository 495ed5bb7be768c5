using System.Net.Http;
using System.Net.Sockets;
using Mesa.Client;

namespace Mesa.PowerShell.Bulk;

/// <summary>
/// Tells from a failure whether the envelope was refused (the server answered), never sent, or may have landed.
/// When in doubt it says <see cref="JournalOutcome.Unknown"/>: a resume refuses to resend an unknown envelope
/// (a duplicate commitment cannot be taken back), while a wrong <c>not_sent</c> would store it twice.
/// </summary>
internal static class OutcomeClassifier
{
    public static JournalOutcome Classify(Exception error) => error switch
    {
        MesaOutcomeUnknownException => JournalOutcome.Unknown,
        MesaException { StatusCode: not null } => JournalOutcome.Refused,
        MesaException { InnerException: HttpRequestException http } when NeverConnected(http) => JournalOutcome.NotSent,
        MesaException => JournalOutcome.Unknown,
        OperationCanceledException => JournalOutcome.Unknown,
        _ => JournalOutcome.NotSent, // failed before any request: signing, encoding
    };

    // Failures before a connection existed, so before any byte of the request went out.
    private static bool NeverConnected(HttpRequestException http)
    {
        if (http.HttpRequestError == HttpRequestError.NameResolutionError) return true;
        return http.HttpRequestError == HttpRequestError.ConnectionError
            && http.InnerException is SocketException
            {
                SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostUnreachable or SocketError.NetworkUnreachable
                    or SocketError.HostNotFound or SocketError.AddressNotAvailable or SocketError.HostDown,
            };
    }
}
