using Mesa.Client;

namespace Mesa.LocalServer.Endpoints;

/// <summary>
/// The handler of each route of <see cref="MesaRoutes"/>. Which routes a server maps comes from the route list (by
/// profile); this only says what answers each one, so a route cannot be served without being in the list.
/// </summary>
internal static class EndpointMap
{
    private static readonly Dictionary<MesaRoute, RequestDelegate> Handlers = new()
    {
        [MesaRoutes.Health] = HealthEndpoint.GetAsync,
        [MesaRoutes.ListPrincipals] = c => Service<PrincipalEndpoints>(c).ListAsync(c),
        [MesaRoutes.CreatePrincipal] = c => Service<PrincipalEndpoints>(c).CreateAsync(c),
        [MesaRoutes.GetPrincipal] = c => Service<PrincipalEndpoints>(c).GetAsync(c),
        [MesaRoutes.SetCapabilities] = c => Service<PrincipalEndpoints>(c).SetCapabilitiesAsync(c),
        [MesaRoutes.SubmitCommitment] = c => Service<CommitmentEndpoints>(c).SubmitAsync(c),
        [MesaRoutes.ListDeliberations] = c => Service<DeliberationEndpoints>(c).ListAsync(c),
        [MesaRoutes.CreateDeliberation] = c => Service<DeliberationEndpoints>(c).CreateAsync(c),
        [MesaRoutes.GetDeliberation] = c => Service<DeliberationEndpoints>(c).GetAsync(c),
        [MesaRoutes.UpdateDeliberation] = c => Service<DeliberationEndpoints>(c).UpdateAsync(c),
        [MesaRoutes.AddTurn] = c => Service<DeliberationEndpoints>(c).AddTurnAsync(c),
        [MesaRoutes.ListLocalPolicies] = c => Service<LocalPolicyEndpoints>(c).ListAsync(c),
        [MesaRoutes.AddLocalPolicy] = c => Service<LocalPolicyEndpoints>(c).AddAsync(c),
        [MesaRoutes.DeleteLocalPolicy] = c => Service<LocalPolicyEndpoints>(c).DeleteAsync(c),
    };

    /// <summary>The routes a server of <paramref name="profile"/> serves: its profile's, and the local-only extension.</summary>
    public static IReadOnlyList<MesaRoute> Served(MesaProfile profile) => MesaRoutes.For(profile, includeLocalOnly: true);

    /// <summary>What answers <paramref name="route"/>.</summary>
    /// <exception cref="InvalidOperationException">The route has no handler (a route added to the list without one).</exception>
    public static RequestDelegate HandlerOf(MesaRoute route) =>
        Handlers.TryGetValue(route, out var handler) ? handler : throw new InvalidOperationException($"The local server has no handler for {route}.");

    private static T Service<T>(HttpContext context) where T : notnull => context.RequestServices.GetRequiredService<T>();
}
