using System.Diagnostics;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace Mesa.Client;

/// <summary>
/// A client for one mesa server. Every route goes through one request path (headers, timeout, logging, error
/// mapping); one <see cref="HttpClient"/> per client, reused. Thread-safe: share one client across threads.
/// </summary>
public sealed class MesaClient : IDisposable
{
    private const string AdminHeader = "X-Admin-Token";
    private const string Redacted = "<redacted>";

    // CancellationTokenSource.CancelAfter takes at most uint.MaxValue - 1 milliseconds.
    private const double MaxTimeoutMilliseconds = uint.MaxValue - 1.0;

    private readonly HttpClient _http;
    private readonly string? _adminToken;
    private readonly KeyValuePair<string, string>[] _headers;

    /// <summary>Creates a client.</summary>
    /// <exception cref="ArgumentException">
    /// No base URI, or it is not absolute http(s); a timeout that is not positive (or infinite); an extra header that is
    /// invalid or is <c>X-Admin-Token</c> (use <see cref="MesaClientOptions.AdminToken"/>, which is sent only where it belongs).
    /// </exception>
    public MesaClient(MesaClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var baseUri = options.BaseUri ?? throw new ArgumentException("A base URI is required, such as http://127.0.0.1:8000.", nameof(options));
        if (!baseUri.IsAbsoluteUri || (baseUri.Scheme != Uri.UriSchemeHttp && baseUri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"The base URI must be an absolute http or https URI, such as http://127.0.0.1:8000; got '{baseUri}'.", nameof(options));
        }

        if (options.Timeout != System.Threading.Timeout.InfiniteTimeSpan
            && (options.Timeout <= TimeSpan.Zero || options.Timeout.TotalMilliseconds > MaxTimeoutMilliseconds))
        {
            throw new ArgumentException(
                $"The timeout must be positive and at most {Math.Floor(MaxTimeoutMilliseconds / 86_400_000)} days, or Timeout.InfiniteTimeSpan for none; got {options.Timeout}.",
                nameof(options));
        }

        BaseUri = baseUri.AbsoluteUri.EndsWith('/') ? baseUri : new Uri(baseUri.AbsoluteUri + "/");
        Timeout = options.Timeout;
        Profile = options.Profile;
        Retry = options.Retry ?? MesaRetryOptions.None;
        _adminToken = string.IsNullOrEmpty(options.AdminToken) ? null : options.AdminToken;
        _headers = ValidateHeaders(options.Headers, out var userAgent);
        UserAgent = userAgent ?? (string.IsNullOrWhiteSpace(options.UserAgent) ? DefaultUserAgent : options.UserAgent);
        if (UserAgent.Any(char.IsControl))
        {
            throw new ArgumentException("The user agent must be one line of text without control characters.", nameof(options));
        }

        _http = options.Handler is null
            // No automatic redirects (as the reference SDK's httpx client): a followed redirect would carry X-Admin-Token
            // to another route or host, and turn a POSTed envelope into a GET on a 301/302.
            ? new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false }, disposeHandler: true)
            : new HttpClient(options.Handler, disposeHandler: false);
        _http.Timeout = System.Threading.Timeout.InfiniteTimeSpan; // our own timeout tells timeouts from cancellation
    }

    /// <summary>The default User-Agent: <c>Mesa.PowerShell/&lt;version&gt;</c>.</summary>
    public static string DefaultUserAgent { get; } = "Mesa.PowerShell/" + ClientVersion;

    /// <summary>This library's version.</summary>
    public static string ClientVersion =>
        (typeof(MesaClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0")
        .Split('+')[0];

    /// <summary>The server's base URI (ends with <c>/</c>).</summary>
    public Uri BaseUri { get; }

    /// <summary>The per-request timeout (<see cref="System.Threading.Timeout.InfiniteTimeSpan"/> for none).</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The profile this server speaks.</summary>
    public MesaProfile Profile { get; }

    /// <summary>The default retry behaviour of this client's requests.</summary>
    public MesaRetryOptions Retry { get; }

    /// <summary>The User-Agent sent.</summary>
    public string UserAgent { get; }

    /// <summary>True when an admin token was configured (the token itself is never exposed).</summary>
    public bool HasAdminToken => _adminToken is not null;

    /// <summary><c>GET /health</c>.</summary>
    public Task<MesaHealth> GetHealthAsync(CancellationToken cancellationToken = default) =>
        SendAsync<MesaHealth>(HttpMethod.Get, "health", null, null, cancellationToken);

    /// <summary><c>POST /principals</c>: registers a public key for an org.</summary>
    public Task<MesaPrincipal> CreatePrincipalAsync(string org, string publicKey, CancellationToken cancellationToken = default) =>
        SendAsync<MesaPrincipal>(HttpMethod.Post, "principals", Json(new Dictionary<string, object?> { ["org"] = org, ["public_key"] = publicKey }), null, cancellationToken);

    /// <summary><c>GET /principals</c>: every principal, oldest first.</summary>
    public Task<IReadOnlyList<MesaPrincipal>> GetPrincipalsAsync(CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<MesaPrincipal>>(HttpMethod.Get, "principals", null, null, cancellationToken);

    /// <summary><c>GET /principals/{id}</c>.</summary>
    public Task<MesaPrincipal> GetPrincipalAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<MesaPrincipal>(HttpMethod.Get, "principals/" + Segment(id, nameof(id)), null, null, cancellationToken);

    /// <summary>
    /// <c>PUT /principals/{id}/capabilities</c>: replaces the principal's capabilities. Uses <paramref name="adminToken"/>,
    /// else the client's; the token goes only into the <c>X-Admin-Token</c> header.
    /// </summary>
    public Task<MesaPrincipal> SetCapabilitiesAsync(
        string principalId, IEnumerable<string> capabilities, string? adminToken = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        var token = string.IsNullOrEmpty(adminToken) ? _adminToken : adminToken;
        return SendAsync<MesaPrincipal>(
            HttpMethod.Put, $"principals/{Segment(principalId, nameof(principalId))}/capabilities",
            Json(new Dictionary<string, object?> { ["capabilities"] = capabilities.ToArray() }), token, cancellationToken);
    }

    /// <summary><c>POST /commitments</c>: posts a signed envelope. The result carries the envelope id.</summary>
    /// <exception cref="InvalidOperationException">The envelope is not signed.</exception>
    public Task<MesaCommitment> SubmitCommitmentAsync(MesaEnvelope envelope, CancellationToken cancellationToken = default) =>
        SubmitCommitmentAsync(envelope, null, cancellationToken);

    /// <summary>
    /// <c>POST /commitments</c> with its own retry behaviour (null: the client's <see cref="Retry"/>). A request whose
    /// answer was lost after it was sent is a <see cref="MesaOutcomeUnknownException"/>, never retried.
    /// </summary>
    /// <exception cref="InvalidOperationException">The envelope is not signed.</exception>
    public async Task<MesaCommitment> SubmitCommitmentAsync(MesaEnvelope envelope, MesaRetryOptions? retry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var result = await SendAsync<MesaCommitment>(HttpMethod.Post, "commitments", envelope.ToWireBytes(), null, cancellationToken).ConfigureAwait(false);
        return result with { EnvelopeId = envelope.Id, DeliberationId = result.DeliberationId ?? envelope.DeliberationId };
    }

    /// <summary><c>POST /deliberations</c> (v2).</summary>
    public Task<MesaDeliberation> CreateDeliberationAsync(
        string title, string? counterpartySlug = null, string? stage = null, CancellationToken cancellationToken = default)
    {
        var body = new Dictionary<string, object?> { ["title"] = title };
        if (counterpartySlug is not null) body["counterparty_slug"] = counterpartySlug;
        if (stage is not null) body["stage"] = stage;
        return SendAsync<MesaDeliberation>(HttpMethod.Post, "deliberations", Json(body), null, cancellationToken);
    }

    /// <summary><c>GET /deliberations</c>, optionally only <c>open</c> or <c>closed</c> ones; oldest first.</summary>
    public Task<IReadOnlyList<MesaDeliberation>> GetDeliberationsAsync(string? status = null, CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<MesaDeliberation>>(
            HttpMethod.Get, status is null ? "deliberations" : "deliberations?status=" + Uri.EscapeDataString(status), null, null, cancellationToken);

    /// <summary><c>GET /deliberations/{id}</c>: the deliberation with its turns and commitments.</summary>
    public Task<MesaDeliberationDetail> GetDeliberationAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<MesaDeliberationDetail>(HttpMethod.Get, "deliberations/" + Segment(id, nameof(id)), null, null, cancellationToken);

    /// <summary><c>PATCH /deliberations/{id}</c>: changes status and/or stage (null leaves a field as it is).</summary>
    public Task<MesaDeliberation> UpdateDeliberationAsync(
        string id, string? status = null, string? stage = null, CancellationToken cancellationToken = default)
    {
        var body = new Dictionary<string, object?>();
        if (status is not null) body["status"] = status;
        if (stage is not null) body["stage"] = stage;
        return SendAsync<MesaDeliberation>(HttpMethod.Patch, "deliberations/" + Segment(id, nameof(id)), Json(body), null, cancellationToken);
    }

    /// <summary><c>POST /deliberations/{id}/turns</c>: posts a signed <c>turn</c> envelope.</summary>
    /// <exception cref="InvalidOperationException">The envelope is not signed.</exception>
    public Task<MesaTurn> AddTurnAsync(string deliberationId, MesaEnvelope envelope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return SendAsync<MesaTurn>(
            HttpMethod.Post, $"deliberations/{Segment(deliberationId, nameof(deliberationId))}/turns", envelope.ToWireBytes(), null, cancellationToken);
    }

    /// <summary>
    /// Sends a request to any path under the base URI and returns the raw JSON body (for routes this client does not
    /// model). The client's admin token goes along only when the path is the capabilities route; an explicit
    /// <paramref name="adminToken"/> is sent as given.
    /// </summary>
    /// <exception cref="ArgumentException">The path leads outside the base URI (an absolute URI: another server would receive the request).</exception>
    public Task<JsonElement> SendRawAsync(HttpMethod method, string relativePath, string? jsonBody = null, string? adminToken = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(relativePath);
        var path = relativePath.TrimStart('/');
        if (!Uri.TryCreate(BaseUri, path, out var target) || !BaseUri.IsBaseOf(target) || target.Authority != BaseUri.Authority)
        {
            throw new ArgumentException($"The path must be relative to {BaseUri}, such as 'health' or 'principals'; got one that leads elsewhere.", nameof(relativePath));
        }

        var token = !string.IsNullOrEmpty(adminToken) ? adminToken : IsCapabilitiesRoute(path) ? _adminToken : null;
        return SendAsync<JsonElement>(method, path, jsonBody is null ? null : Encoding.UTF8.GetBytes(jsonBody), token, cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    /// <summary>Shows the server; never the admin token.</summary>
    public override string ToString() => $"MesaClient({BaseUri}, {Profile})";

    // The one request path.
    private async Task<T> SendAsync<T>(HttpMethod method, string relativePath, byte[]? body, string? adminToken, CancellationToken cancellationToken)
    {
        var uri = new Uri(BaseUri, relativePath);
        using var request = new HttpRequestMessage(method, uri);
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        foreach (var header in _headers)
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        if (adminToken is not null)
        {
            request.Headers.TryAddWithoutValidation(AdminHeader, adminToken);
        }

        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (Timeout != System.Threading.Timeout.InfiniteTimeSpan) timeout.CancelAfter(Timeout);
        var watch = Stopwatch.StartNew();
        var requestText = Redact(body is null ? null : Encoding.UTF8.GetString(body), adminToken);
        int status;
        string raw;
        Uri? location;
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            status = (int)response.StatusCode;
            location = response.Headers.Location;
            raw = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            var seconds = Timeout.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
            var message = $"The request {method} {uri} timed out after {seconds} s; the server did not answer in time (raise the timeout if it is just slow).";
            Publish(method, uri, null, watch.Elapsed, requestText, null, "timed out");
            throw new MesaException(message, method: method.Method, requestUri: uri, innerException: new TimeoutException(message, ex));
        }
        catch (OperationCanceledException)
        {
            Publish(method, uri, null, watch.Elapsed, requestText, null, "cancelled");
            throw;
        }
        catch (HttpRequestException ex)
        {
            var cause = Redact(ex.Message, adminToken);
            Publish(method, uri, null, watch.Elapsed, requestText, null, cause);
            throw new MesaException(
                $"Could not reach the mesa server at {uri}: {cause}", method: method.Method, requestUri: uri, innerException: ex);
        }

        // Logs and exceptions get the redacted text; a successful answer is read from the raw text, because a short
        // token that happens to occur in the JSON ("offer", a digit) would otherwise corrupt the very data returned.
        var text = Redact(raw, adminToken)!;
        Publish(method, uri, status, watch.Elapsed, requestText, text, null);
        if (status is >= 300 and < 400 && location is not null)
        {
            var target = new Uri(uri, location);
            var mapped = MesaErrorMapper.FromResponse(status, raw, method.Method, uri, adminToken);
            throw new MesaException(
                $"The server answered {status} with a redirect to {Redact(target.GetLeftPart(UriPartial.Path), adminToken)}; this client does not follow redirects. " +
                "Connect to the address the server names (for example https instead of http) as the base URI.",
                status, mapped.Body, mapped.Detail, mapped.Code, method.Method, uri);
        }

        if (status < 200 || status > 299)
        {
            throw MesaErrorMapper.FromResponse(status, raw, method.Method, uri, adminToken);
        }

        try
        {
            return JsonSerializer.Deserialize<T>(raw, MesaJson.Options)
                ?? throw new JsonException("The body is empty or null.");
        }
        catch (JsonException ex)
        {
            // The reader's message may quote the raw body, so it is redacted too (and then not kept as the inner exception).
            var problem = Redact(ex.Message, adminToken);
            throw new MesaException(
                $"The server at {uri} answered {status} with a body this client cannot read: {problem}",
                status, text, null, null, method.Method, uri, ReferenceEquals(problem, ex.Message) ? ex : null);
        }
    }

    private static void Publish(HttpMethod method, Uri uri, int? status, TimeSpan duration, string? requestBody, string? responseBody, string? failure) =>
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

    private static byte[] Json(Dictionary<string, object?> body) => CanonicalJson.FromObject(body);

    // A server that echoes the admin token back (a misconfigured proxy, say) must not put it into a log or an exception.
    private static string? Redact(string? text, string? secret) =>
        text is null || secret is null || !text.Contains(secret, StringComparison.Ordinal) ? text : text.Replace(secret, Redacted, StringComparison.Ordinal);

    private static bool IsCapabilitiesRoute(string path)
    {
        var end = path.IndexOfAny(['?', '#']);
        var parts = (end < 0 ? path : path[..end]).TrimEnd('/').Split('/');
        return parts.Length == 3 && parts[0] == "principals" && parts[1].Length > 0 && parts[2] == "capabilities";
    }

    private static KeyValuePair<string, string>[] ValidateHeaders(IDictionary<string, string> headers, out string? userAgent)
    {
        userAgent = null;
        var result = new List<KeyValuePair<string, string>>(headers.Count);
        using var probe = new HttpRequestMessage();
        foreach (var (name, value) in headers)
        {
            if (string.Equals(name, AdminHeader, StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException(
                    $"Do not put {AdminHeader} into the extra headers: they go with every request. Set AdminToken instead; it is sent only on the capabilities route.",
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

            result.Add(new KeyValuePair<string, string>(name, value));
        }

        return result.ToArray();
    }

    private static string Segment(string value, string paramName)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException("An id is required.", paramName);
        }

        if (value is "." or "..")
        {
            throw new ArgumentException($"'{value}' is not an id.", paramName);
        }

        return Uri.EscapeDataString(value);
    }
}
