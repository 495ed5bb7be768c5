namespace Mesa.Client;

/// <summary>
/// The two signing profiles (server generations) of the mesa protocol.
/// </summary>
public enum MesaProfile
{
    /// <summary>Older generation: six signed fields, no <c>deliberation_id</c>, no deliberations.</summary>
    V1 = 1,

    /// <summary>Current generation: seven signed fields; <c>deliberation_id</c> is always signed (null when absent).</summary>
    V2 = 2,
}
