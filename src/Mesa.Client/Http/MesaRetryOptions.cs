namespace Mesa.Client;

/// <summary>
/// How a request is retried when it provably was not processed: the connection was refused or the host was
/// unreachable before any byte was sent, or the server answered 429, 502, 503 or 504. Waits grow exponentially
/// from <see cref="RetryInterval"/> with jitter; a <c>Retry-After</c> answer is honoured (up to
/// <see cref="MaximumRetryAfter"/>, or the interval when that is longer). A request that was sent but whose answer was
/// lost is never retried (see <see cref="MesaOutcomeUnknownException"/>).
/// </summary>
/// <param name="MaximumRetryCount">Retries after the first attempt (0: none; at most 100).</param>
/// <param name="RetryInterval">The first wait (more than zero, at most one hour); later waits grow from it.</param>
public sealed record MesaRetryOptions(int MaximumRetryCount, TimeSpan RetryInterval)
{
    /// <summary>The most retries allowed.</summary>
    public const int MaxRetryCount = 100;

    /// <summary>The longest <c>Retry-After</c> honoured (a longer one is cut to this, or to the interval when longer).</summary>
    public static TimeSpan MaximumRetryAfter { get; } = TimeSpan.FromMinutes(5);

    /// <summary>Retries after the first attempt.</summary>
    public int MaximumRetryCount { get; init; } = MaximumRetryCount is >= 0 and <= MaxRetryCount
        ? MaximumRetryCount
        : throw new ArgumentOutOfRangeException(nameof(MaximumRetryCount), MaximumRetryCount, $"The retry count must be between 0 and {MaxRetryCount}.");

    /// <summary>The first wait.</summary>
    public TimeSpan RetryInterval { get; init; } = RetryInterval > TimeSpan.Zero && RetryInterval <= TimeSpan.FromHours(1)
        ? RetryInterval
        : throw new ArgumentOutOfRangeException(nameof(RetryInterval), RetryInterval, "The retry interval must be more than zero and at most one hour.");

    /// <summary>No retries (the default, as <c>Invoke-RestMethod</c>).</summary>
    public static MesaRetryOptions None { get; } = new(0, TimeSpan.FromSeconds(5));
}
