using System.Globalization;
using Polly;
using Polly.Retry;

namespace Mesa.Client;

/// <summary>
/// Builds the Polly retry pipeline for a <see cref="MesaRetryOptions"/>: exponential backoff with jitter from the
/// interval, <c>Retry-After</c> honoured (capped), only <see cref="RetryableFailure"/> handled, and every retry with its
/// wait published to the request log (so <c>-Verbose</c> shows it).
/// </summary>
internal static class MesaRetryPipeline
{
    public static ResiliencePipeline Build(MesaRetryOptions options)
    {
        if (options.MaximumRetryCount == 0) return ResiliencePipeline.Empty;
        var interval = options.RetryInterval;
        var cap = interval > MesaRetryOptions.MaximumRetryAfter ? interval : MesaRetryOptions.MaximumRetryAfter;
        var max = options.MaximumRetryCount;
        return new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = max,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = interval,
                MaxDelay = cap,
                ShouldHandle = new PredicateBuilder().Handle<RetryableFailure>(),
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Exception is RetryableFailure { RetryAfter: TimeSpan wait }
                        ? (TimeSpan?)(wait < TimeSpan.Zero ? TimeSpan.Zero : wait > cap ? cap : wait)
                        : null),
                OnRetry = args =>
                {
                    if (args.Outcome.Exception is RetryableFailure failure && MesaRequestLog.IsListening)
                    {
                        var seconds = args.RetryDelay.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
                        MesaRequestLog.Publish(new MesaRequestLog
                        {
                            Method = failure.Error.Method ?? "",
                            Uri = failure.Error.RequestUri ?? new Uri("http://localhost/"),
                            Retry = $"{failure.Reason}, retry {args.AttemptNumber + 1} of {max} in {seconds} s",
                        });
                    }

                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    // Retry-After as seconds or an HTTP date; null when absent.
    public static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter switch
        {
            { Delta: TimeSpan delta } => delta,
            { Date: DateTimeOffset date } => date - DateTimeOffset.UtcNow,
            _ => null,
        };
}
