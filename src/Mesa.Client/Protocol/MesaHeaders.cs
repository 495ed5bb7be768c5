namespace Mesa.Client;

/// <summary>The header names of the wire contract.</summary>
public static class MesaHeaders
{
    /// <summary>The admin token's header (protocol section 5), sent only on routes that take it (<see cref="MesaRoute.TakesAdminToken"/>).</summary>
    public const string AdminToken = "X-Admin-Token";
}
