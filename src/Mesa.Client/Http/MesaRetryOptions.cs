namespace Mesa.Client;

/// <summary>
/// How a request is retried when it provably was not processed: the connection was refused or the host was
/// unreachable before any byte was sent, or the server answered 429, 502, 503 or 504. Waits grow exponentially
/// from <see cref="RetryInterval"/> with jitter; a <c>Retry-After</c> answer is honoured.
/// </summary>
/// <param name="MaximumRetryCount">Retries after the first attempt (0: none).</param>
/// <param name="RetryInterval">The first wait; later waits grow from it.</param>
public sealed record MesaRetryOptions(int MaximumRetryCount, TimeSpan RetryInterval)
{
    /// <summary>No retries (the default, as <c>Invoke-RestMethod</c>).</summary>
    public static MesaRetryOptions None { get; } = new(0, TimeSpan.FromSeconds(5));
}
