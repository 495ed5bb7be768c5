using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Polly;

namespace Mesa.Client;

/// <summary>
/// A client for one mesa server. Every route goes through one request path (headers, timeout, retries, logging, error
/// mapping); one <see cref="HttpClient"/> per client, reused. Thread-safe: share one client across threads.
/// </summary>
/// <remarks>
/// Retries (<see cref="MesaRetryOptions"/>, Polly) only what provably was not processed: a connection that was never
/// made, and 429/502/503/504 answers. A request that was sent but whose answer was lost (timeout, reset, closed, cut)
/// is never retried; for a write (POST, PUT, PATCH) it is a <see cref="MesaOutcomeUnknownException"/>, for a GET a
/// <see cref="MesaException"/>. The timeout applies to each attempt. SocketsHttpHandler itself re-sends a request on a
/// pooled connection found closed only before it began sending the request content; every write here is sent with
/// content (an empty one when it has no body), so a write is never re-sent behind our back (tests check it on a
/// reused connection).
/// Success bodies are read up to <see cref="MaxResponseBytes"/>, error bodies up to <see cref="ErrorBodyLimit"/>
/// (an excerpt), never more; 2xx bodies are checked for the required fields of their model.
/// </remarks>
public sealed class MesaClient : IDisposable
{
    private const string AdminHeader = "X-Admin-Token";

    // CancellationTokenSource.CancelAfter takes at most uint.MaxValue - 1 milliseconds.
    private const double MaxTimeoutMilliseconds = uint.MaxValue - 1.0;

    private readonly HttpClient _http;
    private readonly string? _adminToken;
    private readonly KeyValuePair<string, string>[] _headers;
    private readonly ResiliencePipeline _defaultPipeline;
    private readonly ConcurrentDictionary<MesaRetryOptions, ResiliencePipeline> _pipelines = new();

    /// <summary>How much of an error answer's body is read (an excerpt; the rest is never buffered).</summary>
    public const int ErrorBodyLimit = 64 * 1024;

    /// <summary>The largest <see cref="MesaClientOptions.MaxResponseBytes"/> allowed (1 GiB).</summary>
    public const int MaxResponseBytesLimit = 1 << 30;

    /// <summary>Creates a client.</summary>
    /// <exception cref="ArgumentException">
    /// No base URI, or it is not absolute http(s); a timeout that is not positive (or infinite); an extra header that is
    /// invalid or is <c>X-Admin-Token</c> (use <see cref="MesaClientOptions.AdminToken"/>, which is sent only where it belongs);
    /// user info in the URI (<c>user:password@</c>); an admin token or header value that is not printable ASCII; retry or
    /// response-size settings out of range.
    /// </exception>
    public MesaClient(MesaClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
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

        if (options.MaxResponseBytes < 1024 || options.MaxResponseBytes > MaxResponseBytesLimit)
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

        BaseUri = baseUri.AbsoluteUri.EndsWith('/') ? baseUri : new Uri(baseUri.AbsoluteUri + "/");
        Timeout = options.Timeout;
        Profile = options.Profile;
        Retry = options.Retry ?? MesaRetryOptions.None;
        CheckRetry(Retry, nameof(options));
        _defaultPipeline = MesaRetryPipeline.Build(Retry);
        MaxResponseBytes = (int)options.MaxResponseBytes;
        _adminToken = string.IsNullOrEmpty(options.AdminToken) ? null : options.AdminToken;
        CheckToken(_adminToken, nameof(options));
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

    /// <summary>The largest success body read, in bytes (see <see cref="MesaClientOptions.MaxResponseBytes"/>).</summary>
    public int MaxResponseBytes { get; }

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
        CheckToken(token, nameof(adminToken));
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
        var result = await SendAsync<MesaCommitment>(
            HttpMethod.Post, "commitments", envelope.ToWireBytes(), null, cancellationToken, retry, envelope.DeliberationId).ConfigureAwait(false);
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
            HttpMethod.Post, $"deliberations/{Segment(deliberationId, nameof(deliberationId))}/turns", envelope.ToWireBytes(), null, cancellationToken,
            deliberationId: deliberationId);
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
        CheckToken(token, nameof(adminToken));
        return SendAsync<JsonElement>(method, path, jsonBody is null ? null : Encoding.UTF8.GetBytes(jsonBody), token, cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    /// <summary>Shows the server; never the admin token.</summary>
    public override string ToString() => $"MesaClient({BaseUri}, {Profile})";

    // The one request path: the retry pipeline (Polly) around one attempt. Only a RetryableFailure (provably not
    // processed) is retried; when none is left its error is thrown, saying how many attempts were made.
    private async Task<T> SendAsync<T>(
        HttpMethod method, string relativePath, byte[]? body, string? adminToken, CancellationToken cancellationToken,
        MesaRetryOptions? retry = null, string? deliberationId = null)
    {
        var options = retry ?? Retry;
        var pipeline = ReferenceEquals(options, Retry) ? _defaultPipeline : PipelineFor(options);
        var attempts = 0;
        try
        {
            return await pipeline.ExecuteAsync(
                async token =>
                {
                    attempts++;
                    return await SendOnceAsync<T>(method, relativePath, body, adminToken, deliberationId, token).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (RetryableFailure failure)
        {
            throw attempts <= 1
                ? failure.Error
                : MesaErrorMapper.WithMessage(failure.Error, $"{failure.Error.Message} (gave up after {attempts} attempts: the first and {attempts - 1} retries)");
        }
    }

    private ResiliencePipeline PipelineFor(MesaRetryOptions options)
    {
        CheckRetry(options, nameof(options));
        if (_pipelines.TryGetValue(options, out var cached)) return cached;
        var pipeline = MesaRetryPipeline.Build(options);
        if (_pipelines.Count < 32) _pipelines.TryAdd(options, pipeline); // a few distinct settings per client in practice
        return pipeline;
    }

    private async Task<T> SendOnceAsync<T>(
        HttpMethod method, string relativePath, byte[]? body, string? adminToken, string? deliberationId, CancellationToken cancellationToken)
    {
        var uri = new Uri(BaseUri, relativePath);
        using var request = new HttpRequestMessage(method, uri);
        // Constant texts added unparsed: the same bytes on the wire, without a header value object parsed and
        // allocated per request (measurable in bulk runs, where the client's CPU competes with the server's).
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        request.Headers.TryAddWithoutValidation("Accept", "application/json");
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
            request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        }
        else if (method != HttpMethod.Get && method != HttpMethod.Head)
        {
            // SocketsHttpHandler silently re-sends a request without content that meets a dead pooled connection (up
            // to three times); once it has begun sending content it never does. An empty body keeps a write from
            // being sent twice behind our back (a test shows both).
            request.Content = new ByteArrayContent([]);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (Timeout != System.Threading.Timeout.InfiniteTimeSpan) timeout.CancelAfter(Timeout);
        var watch = Stopwatch.StartNew();
        // The log's texts are made only when someone listens (-Verbose/-Debug): in bulk runs nobody does.
        var listening = MesaRequestLog.IsListening;
        // What is hidden in everything shown: the token sent, else the client's own (a server or proxy that echoes
        // it on another route must not put it into a message or log either).
        var secret = adminToken ?? _adminToken;
        var requestText = listening ? SecretRedactor.RedactRaw(body is null ? null : Encoding.UTF8.GetString(body), secret) : null;
        var lost = new LostAnswer(method, uri, deliberationId, relativePath);
        int status;
        Uri? location;
        TimeSpan? retryAfter;
        byte[] buffer;
        int length;
        bool cut;
        string? ended = null;
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            status = (int)response.StatusCode;
            location = response.Headers.Location;
            retryAfter = RetryAfter(response);
            var success = status is >= 200 and <= 299;
            var limit = success ? MaxResponseBytes : ErrorBodyLimit;
            if (success && response.Content.Headers.ContentLength is long announced && announced > MaxResponseBytes)
            {
                Publish(listening, method, uri, status, watch.Elapsed, requestText, null, $"answer of {announced} bytes announced");
                throw new MesaInvalidResponseException(
                    $"The server at {uri} answered {status} and announced a body of {announced} bytes (Content-Length), " +
                    (announced > 1L << 40 ? "which is not a plausible size for a mesa answer (a broken proxy or a server that is not mesa?)" : $"more than the {MesaErrorMapper.Size(MaxResponseBytes)} this client reads") +
                    $"; nothing was read. If the answer really is that large, raise the limit (MesaClientOptions.MaxResponseBytes).{lost.LandedNote(status)}",
                    status, null, method.Method, uri);
            }

            (buffer, length, cut, ended) = await ReadBoundedAsync(response.Content, limit, keepPartial: !success, cancellationToken, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            var message = $"The request {method} {uri} timed out after {TimeoutSeconds} s; the server did not answer in time (raise the timeout if it is just slow).";
            Publish(listening, method, uri, null, watch.Elapsed, requestText, null, "timed out");
            throw lost.Lost(message, new TimeoutException(message, ex));
        }
        catch (OperationCanceledException)
        {
            Publish(listening, method, uri, null, watch.Elapsed, requestText, null, "cancelled");
            throw;
        }
        catch (HttpRequestException ex)
        {
            var cause = SecretRedactor.RedactPlain(ex.Message, secret)!;
            Publish(listening, method, uri, null, watch.Elapsed, requestText, null, cause);
            if (NotSent(ex))
            {
                var error = new MesaException(
                    $"Could not reach the mesa server at {uri}: {cause}. Nothing was sent. {NotSentFix(ex)}", method: method.Method, requestUri: uri, innerException: ex);
                throw new RetryableFailure(error, ShortCause(ex), null);
            }

            if (ex.HttpRequestError == HttpRequestError.SecureConnectionError)
            {
                // The TLS handshake failed: nothing of the request left, but trying again will not help.
                throw new MesaException(
                    $"Could not make a secure (TLS) connection to the mesa server at {uri}, so nothing was sent: {cause}. " +
                    "Check the server's certificate, or use http:// for a local server that does not speak TLS.",
                    method: method.Method, requestUri: uri, innerException: ex);
            }

            throw lost.Reached(ex, cause, ex.HttpRequestError == HttpRequestError.InvalidResponse);
        }
        catch (IOException ex)
        {
            // The status line came, the body did not (the connection closed or reset midway).
            var cause = SecretRedactor.RedactPlain(ex.Message, secret)!;
            Publish(listening, method, uri, null, watch.Elapsed, requestText, null, cause);
            throw lost.Reached(ex, cause, invalidHttp: false);
        }

        if (cut && status is >= 200 and <= 299)
        {
            // Before decoding: the text of a success body cut at the limit would double what the limit allows.
            Publish(listening, method, uri, status, watch.Elapsed, requestText, null, null);
            throw new MesaInvalidResponseException(
                $"The server at {uri} answered {status} with a body larger than the {MesaErrorMapper.Size(MaxResponseBytes)} this client reads; " +
                $"reading stopped there. If the answer really is that large, raise the limit (MesaClientOptions.MaxResponseBytes).{lost.LandedNote(status)}",
                status, null, method.Method, uri);
        }

        // The body as text only when something shows it (a log, an error): a successful answer is deserialised from
        // the bytes. Logs and exceptions get the redacted text; the answer itself is read unredacted, because a short
        // token that happens to occur in the JSON ("offer", a digit) would otherwise corrupt the very data returned.
        string? rawText = null;
        string Raw() => rawText ??= Encoding.UTF8.GetString(buffer, 0, length);
        string Text() => (cut || ended is not null ? SecretRedactor.RedactCut(Raw(), secret) : SecretRedactor.RedactRaw(Raw(), secret))!;
        Publish(listening, method, uri, status, watch.Elapsed, requestText, listening ? Text() : null, null);
        if (status is >= 300 and < 400 && location is not null)
        {
            var target = new Uri(uri, location);
            var mapped = MesaErrorMapper.FromResponse(status, Raw(), method.Method, uri, secret, cut ? ErrorBodyLimit : null);
            throw new MesaException(
                $"The server answered {status} with a redirect to {SecretRedactor.RedactRaw(target.GetLeftPart(UriPartial.Path), secret)}; this client does not follow redirects. " +
                "Connect to the address the server names (for example https instead of http) as the base URI.",
                status, mapped.Body, mapped.Detail, mapped.Code, method.Method, uri);
        }

        if (status < 200 || status > 299)
        {
            var error = MesaErrorMapper.FromResponse(status, Raw(), method.Method, uri, secret, cut ? ErrorBodyLimit : null, partial: ended is not null);
            if (ended is not null)
            {
                // The status came, so it still says what happened (a 503 was not processed, a 403 was refused);
                // only the rest of the error's body was lost.
                error = MesaErrorMapper.WithMessage(error, $"{error.Message} (the server answered {status}, but {ended}; {length} bytes of it were read)");
            }

            if (status is 429 or 502 or 503 or 504)
            {
                throw new RetryableFailure(error, status.ToString(System.Globalization.CultureInfo.InvariantCulture), retryAfter);
            }

            throw error;
        }

        T result;
        try
        {
            result = JsonSerializer.Deserialize<T>(new ReadOnlySpan<byte>(buffer, 0, length), MesaJson.Options)
                ?? throw new JsonException("The body is empty or null.");
        }
        catch (JsonException ex)
        {
            // The reader's message may quote the raw body, so it is redacted too (and then not kept as the inner exception).
            // A 2xx body that is not JSON of the expected shape (an HTML page, {"status":"ok"} where a list belongs) is
            // an answer from something that is not a mesa server, as a body missing its fields is.
            var problem = SecretRedactor.RedactRaw(ex.Message, secret);
            throw new MesaInvalidResponseException(
                $"The server at {uri} answered {status} with a body this client cannot read as a mesa {MesaResponseCheck.Describe(typeof(T))}: {problem} " +
                $"Is this a mesa server? Check the address given to Connect-Mesa (-Uri).{lost.LandedNote(status)}",
                status, Text(), method.Method, uri, ReferenceEquals(problem, ex.Message) ? ex : null);
        }

        var missing = MesaResponseCheck.Missing(result);
        if (missing.Count > 0)
        {
            throw new MesaInvalidResponseException(
                $"The server at {uri} answered {status} with a body that is not a mesa {MesaResponseCheck.Describe(typeof(T))}: " +
                $"it has no {string.Join(", ", missing)}. Is this a mesa server? Check the address given to Connect-Mesa (-Uri).{lost.LandedNote(status)}",
                status, Text(), method.Method, uri);
        }

        return result;
    }

    // Reads at most limit + 1 bytes (so a longer body is known to be cut) without ever holding more.
    // With keepPartial (error bodies), a body that ends early (closed, reset, too slow) gives what was read
    // and why it ended, instead of losing the status that already came.
    private async Task<(byte[] Buffer, int Length, bool Cut, string? Ended)> ReadBoundedAsync(
        HttpContent content, int limit, bool keepPartial, CancellationToken userCancellation, CancellationToken cancellationToken)
    {
        // One byte more than announced: the read that finds the end then needs no room, so a body of the announced
        // size is not copied into a buffer twice as large just to see that nothing follows.
        var announced = content.Headers.ContentLength;
        var size = (int)Math.Clamp(announced + 1 ?? 16 * 1024, 256, Math.Min(limit + 1L, 1024 * 1024));
        var buffer = new byte[size];
        var length = 0;
        using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        while (length <= limit)
        {
            if (length == buffer.Length)
            {
                Array.Resize(ref buffer, (int)Math.Min(buffer.Length * 2L, limit + 1L));
            }

            int read;
            try
            {
                read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex) when (keepPartial)
            {
                return (buffer, length, false, "the connection closed before the rest of its body came (" + ex.Message + ")");
            }
            catch (OperationCanceledException) when (keepPartial && cancellationToken.IsCancellationRequested && !userCancellation.IsCancellationRequested)
            {
                return (buffer, length, false, $"the rest of its body did not come within the timeout of {TimeoutSeconds} s");
            }

            if (read == 0) break;
            length += read;
        }

        return length > limit ? (buffer, limit, true, null) : (buffer, length, false, null);
    }

    private string TimeoutSeconds => Timeout.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);

    // Provably not processed: the connection was never made (refused, unreachable, name not resolved), so no byte of
    // the request left. Anything after that (a reset, a closed connection, a bad answer) may have been processed.
    private static bool NotSent(HttpRequestException ex) =>
        ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
        || (ex.HttpRequestError == HttpRequestError.Unknown && ex.InnerException is System.Net.Sockets.SocketException
        {
            SocketErrorCode: System.Net.Sockets.SocketError.ConnectionRefused or System.Net.Sockets.SocketError.HostUnreachable
                or System.Net.Sockets.SocketError.NetworkUnreachable or System.Net.Sockets.SocketError.HostNotFound
                or System.Net.Sockets.SocketError.HostDown or System.Net.Sockets.SocketError.TryAgain,
        });

    // What to do about a connection that was never made.
    private static string NotSentFix(HttpRequestException ex) =>
        ex.HttpRequestError == HttpRequestError.NameResolutionError
            ? "The host name does not resolve: check the address given to Connect-Mesa (-Uri) or $env:MESA_URL."
            : (ex.InnerException as System.Net.Sockets.SocketException)?.SocketErrorCode == System.Net.Sockets.SocketError.ConnectionRefused
                ? "Nothing listens there: start the server (Start-MesaLocalServer for one on this machine), or check the address and port given to Connect-Mesa (-Uri)."
                : "Check that the server is up and that the address given to Connect-Mesa (-Uri) is right.";

    private static string ShortCause(HttpRequestException ex) =>
        ex.HttpRequestError == HttpRequestError.NameResolutionError ? "name not resolved"
        : (ex.InnerException as System.Net.Sockets.SocketException)?.SocketErrorCode switch
        {
            System.Net.Sockets.SocketError.ConnectionRefused => "connection refused",
            System.Net.Sockets.SocketError.HostUnreachable or System.Net.Sockets.SocketError.HostDown => "host unreachable",
            System.Net.Sockets.SocketError.NetworkUnreachable => "network unreachable",
            _ => "could not connect",
        };

    // Retry-After as seconds or an HTTP date; null when absent.
    private static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter switch
        {
            { Delta: TimeSpan delta } => delta,
            { Date: DateTimeOffset date } => date - DateTimeOffset.UtcNow,
            _ => null,
        };

    private static void Publish(bool listening, HttpMethod method, Uri uri, int? status, TimeSpan duration, string? requestBody, string? responseBody, string? failure)
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

    private static byte[] Json(Dictionary<string, object?> body) => CanonicalJson.FromObject(body);

    // HTTP headers carry ASCII: a token with other characters (a smart quote, a non-breaking space from a copy) could
    // never be sent, and would otherwise fail every request later as if the server were unreachable. Never quoted.
    private static void CheckToken(string? token, string paramName)
    {
        if (token is not null && !IsHeaderText(token))
        {
            throw new ArgumentException(
                "The admin token contains characters other than printable ASCII (such as a curly quote, a non-breaking space or a line break), " +
                "so it cannot be sent in an HTTP header. Copy the token again exactly as the server's operator gave it.",
                paramName);
        }
    }

    private static bool IsHeaderText(string value)
    {
        foreach (var c in value)
        {
            if (c > '~' || (c < ' ' && c != '\t')) return false;
        }

        return true;
    }

    private static void CheckRetry(MesaRetryOptions retry, string paramName)
    {
        // The record checks its constructor arguments; a 'with' copy bypasses that, so the client checks again.
        if (retry.MaximumRetryCount is < 0 or > MesaRetryOptions.MaxRetryCount || retry.RetryInterval <= TimeSpan.Zero || retry.RetryInterval > TimeSpan.FromHours(1))
        {
            throw new ArgumentException(
                $"Retries must be 0 to {MesaRetryOptions.MaxRetryCount} with an interval of more than zero and at most one hour; got {retry.MaximumRetryCount} every {retry.RetryInterval}.",
                paramName);
        }
    }

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
