namespace Mesa.Client;

/// <summary>
/// Every route of the wire contract (protocol section 4) and the local server's <c>/_local/policies</c> extension:
/// the one list the client builds its requests from and the local server maps its endpoints from.
/// </summary>
public static class MesaRoutes
{
    private static readonly MesaProfile[] Every = [MesaProfile.V1, MesaProfile.V2];
    private static readonly MesaProfile[] V2Only = [MesaProfile.V2];

    /// <summary><c>GET /health</c>: liveness.</summary>
    public static MesaRoute Health { get; } = new("GET", "/health", false, false, Every);

    /// <summary><c>GET /principals</c>: every principal, oldest first.</summary>
    public static MesaRoute ListPrincipals { get; } = new("GET", "/principals", false, false, Every);

    /// <summary><c>POST /principals</c>: registers a public key for an org.</summary>
    public static MesaRoute CreatePrincipal { get; } = new("POST", "/principals", false, false, Every);

    /// <summary><c>GET /principals/{id}</c>.</summary>
    public static MesaRoute GetPrincipal { get; } = new("GET", "/principals/{id}", false, false, Every);

    /// <summary><c>PUT /principals/{id}/capabilities</c>: replaces a principal's capabilities; admin only.</summary>
    public static MesaRoute SetCapabilities { get; } = new("PUT", "/principals/{id}/capabilities", true, false, Every);

    /// <summary><c>POST /commitments</c>: a signed envelope.</summary>
    public static MesaRoute SubmitCommitment { get; } = new("POST", "/commitments", false, false, Every);

    /// <summary><c>GET /deliberations</c> (v2), optionally filtered by <c>?status=</c>.</summary>
    public static MesaRoute ListDeliberations { get; } = new("GET", "/deliberations", false, false, V2Only);

    /// <summary><c>POST /deliberations</c> (v2).</summary>
    public static MesaRoute CreateDeliberation { get; } = new("POST", "/deliberations", false, false, V2Only);

    /// <summary><c>GET /deliberations/{id}</c> (v2): with its turns and commitments.</summary>
    public static MesaRoute GetDeliberation { get; } = new("GET", "/deliberations/{id}", false, false, V2Only);

    /// <summary><c>PATCH /deliberations/{id}</c> (v2): status and/or stage.</summary>
    public static MesaRoute UpdateDeliberation { get; } = new("PATCH", "/deliberations/{id}", false, false, V2Only);

    /// <summary><c>POST /deliberations/{id}/turns</c> (v2): a signed <c>turn</c> envelope.</summary>
    public static MesaRoute AddTurn { get; } = new("POST", "/deliberations/{id}/turns", false, false, V2Only);

    /// <summary><c>GET /_local/policies</c>: the local server's policies; local only, admin only.</summary>
    public static MesaRoute ListLocalPolicies { get; } = new("GET", "/_local/policies", true, true, Every);

    /// <summary><c>POST /_local/policies</c>: adds a policy to the local server; local only, admin only.</summary>
    public static MesaRoute AddLocalPolicy { get; } = new("POST", "/_local/policies", true, true, Every);

    /// <summary><c>DELETE /_local/policies/{id}</c>: removes a policy from the local server; local only, admin only.</summary>
    public static MesaRoute DeleteLocalPolicy { get; } = new("DELETE", "/_local/policies/{id}", true, true, Every);

    /// <summary>
    /// Every route, contract routes first. Routes of one template are listed together, in the order a server names
    /// them in an <c>Allow</c> header.
    /// </summary>
    public static IReadOnlyList<MesaRoute> All { get; } =
    [
        Health, ListPrincipals, CreatePrincipal, GetPrincipal, SetCapabilities, SubmitCommitment,
        ListDeliberations, CreateDeliberation, GetDeliberation, UpdateDeliberation, AddTurn,
        ListLocalPolicies, AddLocalPolicy, DeleteLocalPolicy,
    ];

    /// <summary>The routes a server of <paramref name="profile"/> has; the local-only ones too when <paramref name="includeLocalOnly"/>.</summary>
    public static IReadOnlyList<MesaRoute> For(MesaProfile profile, bool includeLocalOnly) =>
        All.Where(r => r.IsIn(profile) && (includeLocalOnly || !r.LocalOnly)).ToArray();
}
