namespace Mesa.Client;

/// <summary>
/// What a failed connection means: whether the request provably never left (so it may be retried, and nothing
/// happened on the server), what to do about it, and a short cause for the retry line.
/// </summary>
internal static class ConnectFailure
{
    // Provably not processed: the connection was never made (refused, unreachable, name not resolved), so no byte of
    // the request left. Anything after that (a reset, a closed connection, a bad answer) may have been processed.
    public static bool NotSent(HttpRequestException ex) =>
        ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
        || (ex.HttpRequestError == HttpRequestError.Unknown && ex.InnerException is System.Net.Sockets.SocketException
        {
            SocketErrorCode: System.Net.Sockets.SocketError.ConnectionRefused or System.Net.Sockets.SocketError.HostUnreachable
                or System.Net.Sockets.SocketError.NetworkUnreachable or System.Net.Sockets.SocketError.HostNotFound
                or System.Net.Sockets.SocketError.HostDown or System.Net.Sockets.SocketError.TryAgain,
        });

    // What to do about a connection that was never made.
    public static string NotSentFix(HttpRequestException ex) =>
        ex.HttpRequestError == HttpRequestError.NameResolutionError
            ? "The host name does not resolve: check the address given to Connect-Mesa (-Uri) or $env:MESA_URL."
            : (ex.InnerException as System.Net.Sockets.SocketException)?.SocketErrorCode == System.Net.Sockets.SocketError.ConnectionRefused
                ? "Nothing listens there: start the server (Start-MesaLocalServer for one on this machine), or check the address and port given to Connect-Mesa (-Uri)."
                : "Check that the server is up and that the address given to Connect-Mesa (-Uri) is right.";

    public static string ShortCause(HttpRequestException ex) =>
        ex.HttpRequestError == HttpRequestError.NameResolutionError ? "name not resolved"
        : (ex.InnerException as System.Net.Sockets.SocketException)?.SocketErrorCode switch
        {
            System.Net.Sockets.SocketError.ConnectionRefused => "connection refused",
            System.Net.Sockets.SocketError.HostUnreachable or System.Net.Sockets.SocketError.HostDown => "host unreachable",
            System.Net.Sockets.SocketError.NetworkUnreachable => "network unreachable",
            _ => "could not connect",
        };
}
