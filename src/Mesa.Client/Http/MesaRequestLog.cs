namespace Mesa.Client;

/// <summary>
/// One request as the client saw it, for verbose and debug output. Never holds headers, so never an admin token.
/// </summary>
public sealed record MesaRequestLog
{
    /// <summary>HTTP method.</summary>
    public string Method { get; init; } = "";

    /// <summary>Full request URL.</summary>
    public Uri Uri { get; init; } = new("http://localhost/");

    /// <summary>The response status, or null when none came.</summary>
    public int? StatusCode { get; init; }

    /// <summary>Time from sending to the end of the response body.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>The request body (JSON), or null.</summary>
    public string? RequestBody { get; init; }

    /// <summary>The response body, or null.</summary>
    public string? ResponseBody { get; init; }

    /// <summary>What went wrong when no response came, or null.</summary>
    public string? Failure { get; init; }

    /// <summary>
    /// Set on the entry that announces a retry (no request of its own): why and when, such as
    /// <c>503, retry 1 of 3 in 1.2 s</c>; null on request entries.
    /// </summary>
    public string? Retry { get; init; }

    private static readonly AsyncLocal<Action<MesaRequestLog>?> CurrentListener = new();

    /// <summary>
    /// Sends every request made by this async flow (on any client) to <paramref name="listener"/> until the returned
    /// scope is disposed. The listener may be called on a worker thread.
    /// </summary>
    public static IDisposable Listen(Action<MesaRequestLog> listener)
    {
        var previous = CurrentListener.Value;
        CurrentListener.Value = listener;
        return new Scope(previous);
    }

    internal static void Publish(MesaRequestLog entry) => CurrentListener.Value?.Invoke(entry);

    /// <summary>True when this async flow has a listener: the log entries (and their redacted texts) are built only then.</summary>
    internal static bool IsListening => CurrentListener.Value is not null;

    /// <summary>One line: method, URL, status and duration (or the retry announced).</summary>
    public override string ToString() => Retry is not null ? $"{Method} {Uri} -> {Retry}" :
        $"{Method} {Uri} -> {(StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Failure ?? "no response")} in {Duration.TotalMilliseconds:0} ms";

    private sealed class Scope(Action<MesaRequestLog>? previous) : IDisposable
    {
        public void Dispose() => CurrentListener.Value = previous;
    }

    // Publishes one entry, made only when someone listens (so nothing is built in bulk runs where nobody does).
    internal static void Publish(bool listening, HttpMethod method, Uri uri, int? status, TimeSpan duration, string? requestBody, string? responseBody, string? failure)
    {
        if (!listening) return;
        MesaRequestLog.Publish(new MesaRequestLog
        {
            Method = method.Method,
            Uri = uri,
            StatusCode = status,
            Duration = duration,
            RequestBody = requestBody,
            ResponseBody = responseBody,
            Failure = failure,
        });
    }
}
