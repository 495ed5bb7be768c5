namespace Mesa.Client;

/// <summary>
/// What to say when a request was sent but its answer was lost or unreadable. A write (anything but GET and HEAD)
/// becomes a <see cref="MesaOutcomeUnknownException"/>, never retried: the server may have processed it, and mesa
/// stores a re-sent envelope again. A read is a plain <see cref="MesaException"/> naming what happened.
/// </summary>
internal sealed class LostAnswer(MesaRoute? route, HttpMethod method, Uri uri, string? deliberationId)
{
    // True for requests that may change the server.
    private bool IsWrite { get; } = method != HttpMethod.Get && method != HttpMethod.Head;

    // By the route, not by parsing the path: a raw request is matched to its route by MesaRequests.Raw.
    private bool IsCommitment => route == MesaRoutes.SubmitCommitment;

    private bool IsTurn => route == MesaRoutes.AddTurn;

    // What the user should check before sending again.
    private string Hint()
    {
        if (IsCommitment)
        {
            return deliberationId is null
                ? "The commitment may or may not have landed: check the server (the emitting principal's commitments) before sending the envelope again; mesa stores a re-sent envelope again."
                : $"The commitment may or may not have landed: check deliberation {deliberationId} (Get-MesaDeliberation -Id {deliberationId}) before sending the envelope again; mesa stores a re-sent envelope again.";
        }

        if (IsTurn && deliberationId is not null)
        {
            return $"The turn may or may not have been added: check the transcript of deliberation {deliberationId} (Get-MesaDeliberation -Id {deliberationId}) before adding it again.";
        }

        return $"The request was sent, so the server may or may not have processed it: check the server before sending {method} {uri.AbsolutePath} again.";
    }

    /// <summary>For a write answered 2xx whose body could not be used: the request itself was accepted.</summary>
    public string LandedNote(int status) =>
        IsWrite ? $" The server answered {status}, so the request itself was accepted; only its answer is missing." : "";

    /// <summary>The error for a server that was reached but whose answer was lost (closed, reset, invalid HTTP).</summary>
    public MesaException Reached(Exception inner, string cause, bool invalidHttp)
    {
        var message = invalidHttp
            ? $"The server at {uri} was reached but its answer is not valid HTTP ({cause}). Is this a mesa server, or is a proxy in the way? Check the address given to Connect-Mesa."
            : $"The server at {uri} was reached but closed the connection before a complete answer ({cause}). If the request body was large, the server may have refused its size; otherwise see the server's log.";
        return Lost(message, inner);
    }

    /// <summary>The error for an answer that was lost (<paramref name="message"/> says how): outcome unknown for a write, with what to check.</summary>
    public MesaException Lost(string message, Exception inner) =>
        IsWrite
            ? new MesaOutcomeUnknownException(message + " " + Hint(), method.Method, uri, inner)
            : new MesaException(message, method: method.Method, requestUri: uri, innerException: inner);
}
