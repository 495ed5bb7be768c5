using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Polly;
using static Mesa.Client.ConnectFailure;
using static Mesa.Client.MesaRequestLog;
using static Mesa.Client.MesaRetryPipeline;

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
    private const string AdminHeader = MesaHeaders.AdminToken;

    private readonly HttpClient _http;
    private readonly string? _adminToken;
    private readonly KeyValuePair<string, string>[] _headers;
    private readonly MesaRetryPipelines _pipelines;

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
        BaseUri = MesaClientOptionsCheck.BaseUri(options);
        MesaClientOptionsCheck.Limits(options);
        Timeout = options.Timeout;
        Profile = options.Profile;
        Retry = options.Retry ?? MesaRetryOptions.None;
        MesaClientOptionsCheck.Retry(Retry, nameof(options));
        _pipelines = new MesaRetryPipelines(Retry);
        MaxResponseBytes = (int)options.MaxResponseBytes;
        _adminToken = string.IsNullOrEmpty(options.AdminToken) ? null : options.AdminToken;
        MesaClientOptionsCheck.Token(_adminToken, nameof(options));
        _headers = MesaClientOptionsCheck.Headers(options.Headers, out var userAgent);
        UserAgent = userAgent ?? (string.IsNullOrWhiteSpace(options.UserAgent) ? DefaultUserAgent : options.UserAgent);
        MesaClientOptionsCheck.UserAgent(UserAgent, nameof(options));

        _http = MesaClientOptionsCheck.HttpClient(options.Handler);
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
        SendAsync<MesaHealth>(MesaRequests.Health(), null, cancellationToken);

    /// <summary><c>POST /principals</c>: registers a public key for an org.</summary>
    public Task<MesaPrincipal> CreatePrincipalAsync(string org, string publicKey, CancellationToken cancellationToken = default) =>
        SendAsync<MesaPrincipal>(MesaRequests.CreatePrincipal(org, publicKey), null, cancellationToken);

    /// <summary><c>GET /principals</c>: every principal, oldest first.</summary>
    public Task<IReadOnlyList<MesaPrincipal>> GetPrincipalsAsync(CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<MesaPrincipal>>(MesaRequests.ListPrincipals(), null, cancellationToken);

    /// <summary><c>GET /principals/{id}</c>.</summary>
    public Task<MesaPrincipal> GetPrincipalAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<MesaPrincipal>(MesaRequests.GetPrincipal(id), null, cancellationToken);

    /// <summary>
    /// <c>PUT /principals/{id}/capabilities</c>: replaces the principal's capabilities. Uses <paramref name="adminToken"/>,
    /// else the client's; the token goes only into the <c>X-Admin-Token</c> header.
    /// </summary>
    public Task<MesaPrincipal> SetCapabilitiesAsync(
        string principalId, IEnumerable<string> capabilities, string? adminToken = null, CancellationToken cancellationToken = default) =>
        SendAsync<MesaPrincipal>(MesaRequests.SetCapabilities(principalId, capabilities), adminToken, cancellationToken);

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
        var result = await SendAsync<MesaCommitment>(MesaRequests.SubmitCommitment(envelope), null, cancellationToken, retry, envelope.DeliberationId).ConfigureAwait(false);
        return result with { EnvelopeId = envelope.Id, DeliberationId = result.DeliberationId ?? envelope.DeliberationId };
    }

    /// <summary><c>POST /deliberations</c> (v2).</summary>
    public Task<MesaDeliberation> CreateDeliberationAsync(
        string title, string? counterpartySlug = null, string? stage = null, CancellationToken cancellationToken = default) =>
        SendAsync<MesaDeliberation>(MesaRequests.CreateDeliberation(title, counterpartySlug, stage), null, cancellationToken);

    /// <summary><c>GET /deliberations</c>, optionally only <c>open</c> or <c>closed</c> ones; oldest first.</summary>
    public Task<IReadOnlyList<MesaDeliberation>> GetDeliberationsAsync(string? status = null, CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<MesaDeliberation>>(MesaRequests.ListDeliberations(status), null, cancellationToken);

    /// <summary><c>GET /deliberations/{id}</c>: the deliberation with its turns and commitments.</summary>
    public async Task<MesaDeliberationDetail> GetDeliberationAsync(string id, CancellationToken cancellationToken = default)
    {
        var detail = await SendAsync<MesaDeliberationDetail>(MesaRequests.GetDeliberation(id), null, cancellationToken).ConfigureAwait(false);
        // The server's entries do not say which deliberation they belong to: each gets the detail's id here, so the
        // record itself (ConvertTo-Json, a cast, Export-Clixml) carries it, not only the module's output wrapping.
        return detail with { Commitments = detail.Commitments.Select(c => c with { DeliberationId = c.DeliberationId ?? detail.Id }).ToArray() };
    }

    /// <summary><c>PATCH /deliberations/{id}</c>: changes status and/or stage (null leaves a field as it is).</summary>
    public Task<MesaDeliberation> UpdateDeliberationAsync(
        string id, string? status = null, string? stage = null, CancellationToken cancellationToken = default) =>
        SendAsync<MesaDeliberation>(MesaRequests.UpdateDeliberation(id, status, stage), null, cancellationToken);

    /// <summary><c>POST /deliberations/{id}/turns</c>: posts a signed <c>turn</c> envelope.</summary>
    /// <exception cref="InvalidOperationException">The envelope is not signed.</exception>
    public Task<MesaTurn> AddTurnAsync(string deliberationId, MesaEnvelope envelope, CancellationToken cancellationToken = default) =>
        SendAsync<MesaTurn>(MesaRequests.AddTurn(deliberationId, envelope), null, cancellationToken, deliberationId: deliberationId);

    /// <summary>
    /// Sends a request to any path under the base URI and returns the raw JSON body (for routes this client does not
    /// model). The client's admin token goes along only when the method and path name a route that takes it
    /// (<see cref="MesaRoute.TakesAdminToken"/>; not a local-only one); an explicit <paramref name="adminToken"/> is sent as given.
    /// </summary>
    /// <exception cref="ArgumentException">The path leads outside the base URI (an absolute URI: another server would receive the request).</exception>
    public Task<JsonElement> SendRawAsync(HttpMethod method, string relativePath, string? jsonBody = null, string? adminToken = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(relativePath);
        var body = jsonBody is null ? null : Encoding.UTF8.GetBytes(jsonBody);
        return SendAsync<JsonElement>(MesaRequests.Raw(BaseUri, method, relativePath, body), adminToken, cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    /// <summary>Shows the server; never the admin token.</summary>
    public override string ToString() => $"MesaClient({BaseUri}, {Profile})";

    // A route's request: the admin token goes where the request's route says (MesaRequest.AdminToken).
    private Task<T> SendAsync<T>(
        MesaRequest request, string? adminToken, CancellationToken cancellationToken, MesaRetryOptions? retry = null, string? deliberationId = null)
    {
        var token = request.AdminToken(adminToken, _adminToken);
        MesaClientOptionsCheck.Token(token, nameof(adminToken));
        return SendWithRetriesAsync<T>(request, token, cancellationToken, retry, deliberationId);
    }

    // The one request path: the retry pipeline (Polly) around one attempt. Only a RetryableFailure (provably not
    // processed) is retried; when none is left its error is thrown, saying how many attempts were made.
    private async Task<T> SendWithRetriesAsync<T>(
        MesaRequest request, string? adminToken, CancellationToken cancellationToken, MesaRetryOptions? retry, string? deliberationId)
    {
        var pipeline = _pipelines.For(retry ?? Retry);
        var attempts = 0;
        try
        {
            if (ReferenceEquals(pipeline, ResiliencePipeline.Empty))
            {
                // No retries: the one attempt without Polly's context and closures, which cost a few microseconds of
                // client CPU per request in bulk runs (on the cores the server needs).
                attempts = 1;
                return await SendOnceAsync<T>(request, adminToken, deliberationId, cancellationToken).ConfigureAwait(false);
            }

            return await pipeline.ExecuteAsync(
                async token =>
                {
                    attempts++;
                    return await SendOnceAsync<T>(request, adminToken, deliberationId, token).ConfigureAwait(false);
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

    private async Task<T> SendOnceAsync<T>(MesaRequest call, string? adminToken, string? deliberationId, CancellationToken cancellationToken)
    {
        var (method, body) = (call.Method, call.Body);
        var uri = new Uri(BaseUri, call.Path);
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
        var requestText = listening ? SecretRedactor.Redact(body is null ? null : Encoding.UTF8.GetString(body), secret) : null;
        var lost = new LostAnswer(call.Route, method, uri, deliberationId);
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
            var cause = SecretRedactor.Redact(ex.Message, secret)!;
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
            var cause = SecretRedactor.Redact(ex.Message, secret)!;
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
        string Text() => (cut || ended is not null ? SecretRedactor.RedactCut(Raw(), secret) : SecretRedactor.Redact(Raw(), secret))!;
        Publish(listening, method, uri, status, watch.Elapsed, requestText, listening ? Text() : null, null);
        if (status is >= 300 and < 400 && location is not null)
        {
            var target = new Uri(uri, location);
            var mapped = MesaErrorMapper.FromResponse(status, Raw(), method.Method, uri, secret, cut ? ErrorBodyLimit : null);
            throw new MesaException(
                $"The server answered {status} with a redirect to {ShownRedirect(target, secret)}; this client does not follow redirects. " +
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
            var problem = SecretRedactor.Redact(ex.Message, secret);
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

    // Where a redirect points, as a person reads it: no user info, no query, percent-escapes decoded (a token echoed
    // as %2F... is then found and hidden like a plain one), control characters shown as '?'.
    private static string ShownRedirect(Uri target, string? secret)
    {
        var decoded = target.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.Unescaped);
        return SecretRedactor.Redact(string.Concat(decoded.Select(c => char.IsControl(c) ? '?' : c)), secret)!;
    }
}
