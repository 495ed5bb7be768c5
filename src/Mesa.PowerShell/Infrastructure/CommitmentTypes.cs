namespace Mesa.PowerShell.Infrastructure;

/// <summary>
/// The commitment types of protocol section 6 (core and datasharing packs), offered by tab completion. A server may
/// know more types; nothing refuses a name that is not listed here. The v1 generation has no <c>turn</c> type (the
/// local server's Schemas/profiles.json says the same for the server).
/// </summary>
internal static class CommitmentTypes
{
    /// <summary>Type name and a one-line description for the completion tooltip.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Known { get; } =
    [
        new("offer", "core: summary, terms [, expires_at]"),
        new("counter", "core: supersedes, summary, terms"),
        new("amendment", "core: amends, changes, reason"),
        new("approval", "core: approves [, note]"),
        new("signoff", "core: agreed_commitments, outcome"),
        new("participant_joined", "core: principal, role"),
        new("turn", "core: content (a deliberation turn)"),
        new("license_terms", "datasharing: dataset_id, fee_model, term_months [, renewal]"),
        new("scope_clause", "datasharing: included, excluded"),
        new("opt_out_delta", "datasharing: dataset_id, added_count, as_of [, removed_count, source]"),
        new("usage_restriction", "datasharing: allowed_uses [, redistribution, derivative_works, retention_days]"),
        new("dpa_reference", "datasharing: uri, version, executed_at [, checksum_sha256]"),
    ];

    /// <summary>The known types of one profile: v1 has every one but <c>turn</c>.</summary>
    public static IEnumerable<KeyValuePair<string, string>> For(Mesa.Client.MesaProfile profile) =>
        profile == Mesa.Client.MesaProfile.V1 ? Known.Where(t => t.Key != "turn") : Known;
}
