namespace Mesa.Client;

/// <summary>
/// One attempt's failure that provably left the server untouched (refused connection, 429/502/503/504): the only
/// exception the retry strategy handles. Never leaves the client: the request path unwraps <see cref="Error"/>.
/// </summary>
internal sealed class RetryableFailure(MesaException error, string reason, TimeSpan? retryAfter) : Exception(error.Message, error)
{
    /// <summary>The error the caller gets when no retry is left.</summary>
    public MesaException Error { get; } = error;

    /// <summary>Short cause for the retry line: <c>503</c>, <c>connection refused</c>.</summary>
    public string Reason { get; } = reason;

    /// <summary>The wait the server asked for (Retry-After), if any.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
