using System.Security.Cryptography;
using System.Text;
using Mesa.Client;
using Mesa.LocalServer.Hosting;
using Mesa.LocalServer.Http;

namespace Mesa.LocalServer.Endpoints;

/// <summary>
/// The admin gate (contract section 5): <c>X-Admin-Token</c> must equal the configured token, compared in constant time.
/// No token configured: 403 <c>admin_disabled</c>; header missing or wrong: 403 <c>admin_forbidden</c>.
/// </summary>
internal sealed class AdminGate(ServerOptions options)
{
    public const string HeaderName = MesaHeaders.AdminToken;

    private readonly byte[]? _expected = string.IsNullOrEmpty(options.AdminToken) ? null : Encoding.UTF8.GetBytes(options.AdminToken);

    /// <exception cref="ApiError">403 when the request may not use admin routes.</exception>
    public void Check(HttpContext context)
    {
        if (_expected is null)
        {
            throw ApiError.Coded(403, MesaErrorCodes.AdminDisabled, $"{MesaEnvironmentVariables.AdminToken} is not configured (start the server with {LocalServerContract.AdminTokenOption} or {MesaEnvironmentVariables.AdminToken})");
        }

        var sent = context.Request.Headers[HeaderName];
        var token = sent.Count > 0 ? sent[0] : null;
        if (string.IsNullOrEmpty(token) || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), _expected))
        {
            throw ApiError.Coded(403, MesaErrorCodes.AdminForbidden, "invalid or missing admin token");
        }
    }
}
