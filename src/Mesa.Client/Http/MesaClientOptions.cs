namespace Mesa.Client;

/// <summary>Settings of a <see cref="MesaClient"/>. Copied when the client is made.</summary>
public sealed class MesaClientOptions
{
    /// <summary>The server's base URI, such as <c>http://127.0.0.1:8000</c>.</summary>
    public Uri? BaseUri { get; set; }

    /// <summary>How long one request may take (default 30 s; <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> for no limit).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>User-Agent header (default <c>Mesa.PowerShell/&lt;version&gt;</c>).</summary>
    public string UserAgent { get; set; } = MesaClient.DefaultUserAgent;

    /// <summary>
    /// Extra headers sent with every request. A <c>User-Agent</c> here replaces <see cref="UserAgent"/>;
    /// <c>X-Admin-Token</c> is refused (set <see cref="AdminToken"/>, which goes only to the capabilities route).
    /// </summary>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The admin token for the capabilities route; sent only there, as <c>X-Admin-Token</c>.</summary>
    public string? AdminToken { get; set; }

    /// <summary>The signing profile this server speaks (default v2).</summary>
    public MesaProfile Profile { get; set; } = MesaProfile.V2;

    /// <summary>How requests are retried when they provably were not processed (default: no retries).</summary>
    public MesaRetryOptions Retry { get; set; } = MesaRetryOptions.None;

    /// <summary>
    /// The largest success body the client reads, in bytes (default 64 MiB, enough for tens of thousands of principals
    /// or a long deliberation; 1 KiB to 1 GiB). A larger answer is an <c>InvalidResponse</c> error and is never
    /// buffered past the limit. Error bodies are read up to 64 KiB only (an excerpt).
    /// </summary>
    public long MaxResponseBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>An optional handler (for tests or proxies); the client does not dispose it.</summary>
    public HttpMessageHandler? Handler { get; set; }

    /// <summary>Shows the URI and profile; the admin token and a user name or password in the URI are never shown.</summary>
    public override string ToString() => $"{ShownUri} ({Profile}{(AdminToken is null ? "" : ", admin token set")})";

    // Without user info, usually a password (the client refuses such a URI, but options are shown before that);
    // 'admin:secret@host' without http:// parses as the scheme 'admin', so any other URI with an '@' is not quoted.
    private string? ShownUri =>
        BaseUri is null || !BaseUri.OriginalString.Contains('@') ? BaseUri?.ToString()
        : BaseUri is { IsAbsoluteUri: true, Scheme: "http" or "https" } uri ? $"{uri.Scheme}://{uri.Authority}{uri.PathAndQuery}"
        : "(a URI with a user name or password)";
}
