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

    /// <summary>One line: method, URL, status and duration.</summary>
    public override string ToString() =>
        $"{Method} {Uri} -> {(StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Failure ?? "no response")} in {Duration.TotalMilliseconds:0} ms";

    private sealed class Scope(Action<MesaRequestLog>? previous) : IDisposable
    {
        public void Dispose() => CurrentListener.Value = previous;
    }
}
