namespace Mesa.Client;

/// <summary>
/// Builds the request of each route of <see cref="MesaRoutes"/>: the path from the route's template, the body in
/// canonical JSON. Checks what would otherwise go wrong on the wire (blank or dot ids) before anything is sent.
/// </summary>
internal static class MesaRequests
{
    public static MesaRequest Health() => Plain(MesaRoutes.Health);

    public static MesaRequest CreatePrincipal(string org, string publicKey) =>
        Plain(MesaRoutes.CreatePrincipal, Json(new Dictionary<string, object?> { ["org"] = org, ["public_key"] = publicKey }));

    public static MesaRequest ListPrincipals() => Plain(MesaRoutes.ListPrincipals);

    public static MesaRequest GetPrincipal(string id) => For(MesaRoutes.GetPrincipal, null, Segment(id, nameof(id)));

    public static MesaRequest SetCapabilities(string principalId, IEnumerable<string> capabilities)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        return For(
            MesaRoutes.SetCapabilities,
            Json(new Dictionary<string, object?> { ["capabilities"] = capabilities.ToArray() }),
            Segment(principalId, nameof(principalId)));
    }

    /// <exception cref="InvalidOperationException">The envelope is not signed.</exception>
    public static MesaRequest SubmitCommitment(MesaEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return Plain(MesaRoutes.SubmitCommitment, envelope.ToWireBytes());
    }

    public static MesaRequest CreateDeliberation(string title, string? counterpartySlug, string? stage)
    {
        var body = new Dictionary<string, object?> { ["title"] = title };
        if (counterpartySlug is not null) body["counterparty_slug"] = counterpartySlug;
        if (stage is not null) body["stage"] = stage;
        return Plain(MesaRoutes.CreateDeliberation, Json(body));
    }

    public static MesaRequest ListDeliberations(string? status)
    {
        var request = Plain(MesaRoutes.ListDeliberations);
        return status is null ? request : request with { Path = request.Path + "?status=" + Uri.EscapeDataString(status) };
    }

    public static MesaRequest GetDeliberation(string id) => For(MesaRoutes.GetDeliberation, null, Segment(id, nameof(id)));

    public static MesaRequest UpdateDeliberation(string id, string? status, string? stage)
    {
        var body = new Dictionary<string, object?>();
        if (status is not null) body["status"] = status;
        if (stage is not null) body["stage"] = stage;
        return For(MesaRoutes.UpdateDeliberation, Json(body), Segment(id, nameof(id)));
    }

    /// <exception cref="InvalidOperationException">The envelope is not signed.</exception>
    public static MesaRequest AddTurn(string deliberationId, MesaEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return For(MesaRoutes.AddTurn, envelope.ToWireBytes(), Segment(deliberationId, nameof(deliberationId)));
    }

    /// <summary>A request to any path under <paramref name="baseUri"/>; its route is the one the method and path name, if any.</summary>
    /// <exception cref="ArgumentException">The path leads outside the base URI (an absolute URI: another server would receive the request).</exception>
    public static MesaRequest Raw(Uri baseUri, HttpMethod method, string relativePath, byte[]? body)
    {
        var path = relativePath.TrimStart('/');
        if (!Uri.TryCreate(baseUri, path, out var target) || !baseUri.IsBaseOf(target) || target.Authority != baseUri.Authority)
        {
            throw new ArgumentException($"The path must be relative to {baseUri}, such as 'health' or 'principals'; got one that leads elsewhere.", nameof(relativePath));
        }

        return new(MesaRoutes.All.FirstOrDefault(r => r.Matches(method.Method, path)), method, path, body);
    }

    /// <summary>The <see cref="HttpMethod"/> of a route's method name.</summary>
    public static HttpMethod MethodOf(MesaRoute route) => route.Method switch
    {
        "GET" => HttpMethod.Get,
        "POST" => HttpMethod.Post,
        "PUT" => HttpMethod.Put,
        "PATCH" => HttpMethod.Patch,
        "DELETE" => HttpMethod.Delete,
        _ => new HttpMethod(route.Method),
    };

    private static MesaRequest Plain(MesaRoute route, byte[]? body = null) => new(route, MethodOf(route), route.RelativePath(), body);

    // The values are checked (and escaped again by the route, so they are passed unescaped).
    private static MesaRequest For(MesaRoute route, byte[]? body, params string[] values) =>
        new(route, MethodOf(route), route.RelativePath(values), body);

    private static byte[] Json(Dictionary<string, object?> body) => CanonicalJson.FromObject(body);

    // A blank id would name another route (GET /principals/ is the list), a dot one the parent path.
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

        return value;
    }
}
