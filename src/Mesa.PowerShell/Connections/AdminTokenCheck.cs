using Mesa.Client;

namespace Mesa.PowerShell.Infrastructure;

/// <summary>
/// Checks an admin token without changing anything. The probe is <c>PUT /principals/{id}/capabilities</c> for an id
/// the server can never have assigned (ids are 32 hex characters) with a type that does not exist: the admin gate runs
/// before the body is validated and before the principal is looked up (protocol section 5), so a wrong token answers
/// 403 <c>admin_forbidden</c>, a server without a token 403 <c>admin_disabled</c>, and the right token gets past the
/// gate to a 404 (no such principal) or 422 (no such type). Neither of those can store anything.
/// </summary>
internal static class AdminTokenCheck
{
    /// <summary>The probe's path: not 32 hex characters, so never a principal's id.</summary>
    public static readonly string ProbePath = MesaRoutes.SetCapabilities.RelativePath("mesa-admin-token-check");

    /// <summary>The probe's body: a type no pack defines, so even a server that found the id would refuse it.</summary>
    public const string ProbeBody = """{"capabilities":["mesa-admin-token-check-not-a-type"]}""";

    /// <summary>Runs the probe with the client's own admin token.</summary>
    /// <returns>The verdict, and the server's refusal (null when the token was accepted).</returns>
    public static async Task<(AdminTokenVerdict Verdict, MesaException? Answer)> RunAsync(MesaClient client, CancellationToken cancellationToken)
    {
        try
        {
            // The client sends its own token only on routes that take it (MesaRoute.TakesAdminToken), as this one does.
            await client.SendRawAsync(new HttpMethod(MesaRoutes.SetCapabilities.Method), ProbePath, ProbeBody, null, cancellationToken).ConfigureAwait(false);
            return (AdminTokenVerdict.Accepted, null);
        }
        catch (MesaException ex)
        {
            return (Classify(ex), ex);
        }
    }

    /// <summary>What a refusal of the probe means for the token.</summary>
    public static AdminTokenVerdict Classify(MesaException answer) => (answer.StatusCode, answer.Code) switch
    {
        (403, MesaErrorCodes.AdminForbidden) or (401, _) => AdminTokenVerdict.Rejected,
        (403, MesaErrorCodes.AdminDisabled) => AdminTokenVerdict.Disabled,
        (404, _) or (422, _) => AdminTokenVerdict.Accepted,
        _ => AdminTokenVerdict.Unknown,
    };
}
