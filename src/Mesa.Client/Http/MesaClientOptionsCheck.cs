namespace Mesa.Client;

/// <summary>
/// Checks the settings of a <see cref="MesaClient"/> when it is made, so that a bad one fails there, saying what is
/// wrong, instead of failing every request later as if the server were unreachable. Nothing secret is ever quoted.
/// </summary>
internal static class MesaClientOptionsCheck
{
    // CancellationTokenSource.CancelAfter takes at most uint.MaxValue - 1 milliseconds.
    private const double MaxTimeoutMilliseconds = uint.MaxValue - 1.0;

    /// <summary>The base URI, ending with <c>/</c>.</summary>
    /// <exception cref="ArgumentException">None, not absolute http(s), or with user info.</exception>
    public static Uri BaseUri(MesaClientOptions options)
    {
        var baseUri = options.BaseUri ?? throw new ArgumentException("A base URI is required, such as http://127.0.0.1:8000.", nameof(options));
        if (!baseUri.IsAbsoluteUri || (baseUri.Scheme != Uri.UriSchemeHttp && baseUri.Scheme != Uri.UriSchemeHttps))
        {
            // The URI itself is not quoted: 'admin:secret@host' without http:// parses as the scheme 'admin', and
            // ftp://user:secret@host carries user info; either way a password would be shown.
            var got = !baseUri.IsAbsoluteUri ? "a relative one"
                : baseUri.OriginalString.Contains('@') ? $"one with the scheme '{baseUri.Scheme}' (and a user name or password before the host, which are not allowed either)"
                : $"'{baseUri}'";
            throw new ArgumentException($"The base URI must be an absolute http or https URI, such as http://127.0.0.1:8000; got {got}.", nameof(options));
        }

        if (!string.IsNullOrEmpty(baseUri.UserInfo))
        {
            // The user info is never quoted back: it is usually a password. It would never be sent either (no auth
            // scheme reads it), only shown in every message.
            throw new ArgumentException(
                $"The base URI must not carry a user name or password (user:password@{baseUri.Host}); this client never sends them and they would show in " +
                "every message. Remove them from the URI and pass credentials as a header instead, such as Connect-Mesa -Header @{ Authorization = 'Bearer ...' }.",
                nameof(options));
        }

        return baseUri.AbsoluteUri.EndsWith('/') ? baseUri : new Uri(baseUri.AbsoluteUri + "/");
    }

    /// <exception cref="ArgumentException">The response size limit or the timeout is out of range.</exception>
    public static void Limits(MesaClientOptions options)
    {
        if (options.MaxResponseBytes < 1024 || options.MaxResponseBytes > MesaClient.MaxResponseBytesLimit)
        {
            throw new ArgumentException(
                $"The response size limit must be between 1 KiB and 1 GiB; got {options.MaxResponseBytes} bytes.", nameof(options));
        }

        if (options.Timeout != System.Threading.Timeout.InfiniteTimeSpan
            && (options.Timeout <= TimeSpan.Zero || options.Timeout.TotalMilliseconds > MaxTimeoutMilliseconds))
        {
            throw new ArgumentException(
                $"The timeout must be positive and at most {Math.Floor(MaxTimeoutMilliseconds / 86_400_000)} days, or Timeout.InfiniteTimeSpan for none; got {options.Timeout}.",
                nameof(options));
        }
    }

    /// <exception cref="ArgumentException">The user agent is not one line of text.</exception>
    public static void UserAgent(string userAgent, string paramName)
    {
        if (userAgent.Any(char.IsControl))
        {
            throw new ArgumentException("The user agent must be one line of text without control characters.", paramName);
        }
    }

    // HTTP headers carry ASCII: a token with other characters (a smart quote, a non-breaking space from a copy) could
    // never be sent, and would otherwise fail every request later as if the server were unreachable. Never quoted.
    /// <exception cref="ArgumentException">The token is not printable ASCII.</exception>
    public static void Token(string? token, string paramName)
    {
        if (token is not null && !IsHeaderText(token))
        {
            throw new ArgumentException(
                "The admin token contains characters other than printable ASCII (such as a curly quote, a non-breaking space or a line break), " +
                "so it cannot be sent in an HTTP header. Copy the token again exactly as the server's operator gave it.",
                paramName);
        }
    }

    /// <exception cref="ArgumentException">Retries out of range.</exception>
    public static void Retry(MesaRetryOptions retry, string paramName)
    {
        // The record checks its constructor arguments; a 'with' copy bypasses that, so the client checks again.
        if (retry.MaximumRetryCount is < 0 or > MesaRetryOptions.MaxRetryCount || retry.RetryInterval <= TimeSpan.Zero || retry.RetryInterval > TimeSpan.FromHours(1))
        {
            throw new ArgumentException(
                $"Retries must be 0 to {MesaRetryOptions.MaxRetryCount} with an interval of more than zero and at most one hour; got {retry.MaximumRetryCount} every {retry.RetryInterval}.",
                paramName);
        }
    }

    /// <summary>The extra headers, checked; a User-Agent among them is returned apart.</summary>
    /// <exception cref="ArgumentException">A header is the admin token's, or its name or value cannot be sent.</exception>
    public static KeyValuePair<string, string>[] Headers(IDictionary<string, string> headers, out string? userAgent)
    {
        userAgent = null;
        var result = new List<KeyValuePair<string, string>>(headers.Count);
        using var probe = new HttpRequestMessage();
        foreach (var (name, value) in headers)
        {
            if (string.Equals(name, MesaHeaders.AdminToken, StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException(
                    $"Do not put {MesaHeaders.AdminToken} into the extra headers: they go with every request. Set AdminToken instead; it is sent only on the capabilities route.",
                    nameof(headers));
            }

            if (string.Equals(name, "User-Agent", StringComparison.OrdinalIgnoreCase))
            {
                userAgent = value;
                continue;
            }

            try
            {
                // Validates name and value (no line breaks) now rather than failing every request later. The value is
                // never quoted back: it may be a credential.
                probe.Headers.Add(name, value);
            }
            catch (Exception ex) when (ex is FormatException or InvalidOperationException)
            {
                // Not kept as the InnerException: its message may quote the value.
                throw new ArgumentException(
                    $"The extra header '{name}' cannot be sent: its name or value is not valid for an HTTP request header (content headers such as Content-Type are set by the client).",
                    nameof(headers));
            }

            if (!IsHeaderText(value))
            {
                throw new ArgumentException(
                    $"The extra header '{name}' has characters other than printable ASCII in its value, so it cannot be sent in an HTTP request; copy the value again.",
                    nameof(headers));
            }

            result.Add(new KeyValuePair<string, string>(name, value));
        }

        return result.ToArray();
    }

    /// <summary>The client's HttpClient: its own handler, or the one given (which the client does not dispose).</summary>
    public static HttpClient HttpClient(HttpMessageHandler? handler)
    {
        var http = handler is null
            // No automatic redirects (as the reference SDK's httpx client): a followed redirect would carry X-Admin-Token
            // to another route or host, and turn a POSTed envelope into a GET on a 301/302.
            ? new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false }, disposeHandler: true)
            : new HttpClient(handler, disposeHandler: false);
        http.Timeout = System.Threading.Timeout.InfiniteTimeSpan; // our own timeout tells timeouts from cancellation
        return http;
    }

    private static bool IsHeaderText(string value)
    {
        foreach (var c in value)
        {
            if (c > '~' || (c < ' ' && c != '\t')) return false;
        }

        return true;
    }
}
