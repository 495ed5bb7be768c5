namespace Mesa.Client;

/// <summary>
/// A request ready for the client's one request path: the route it is for (null for a raw path no route names), the
/// method, the path relative to the base URI, and the body.
/// </summary>
internal sealed record MesaRequest(MesaRoute? Route, HttpMethod Method, string Path, byte[]? Body)
{
    /// <summary>
    /// The admin token to send: <paramref name="given"/> when one is given; else the client's own, but only on a route
    /// that takes it and that every server of the contract has (a local-only route needs it given: the client cannot
    /// know that the server is a local one); else none.
    /// </summary>
    public string? AdminToken(string? given, string? clientToken) =>
        !string.IsNullOrEmpty(given) ? given
        : Route is { TakesAdminToken: true, LocalOnly: false } ? clientToken
        : null;
}
