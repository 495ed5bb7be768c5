using Mesa.Client;
using Mesa.LocalServer.Http;
using Mesa.LocalServer.Python;
using Mesa.LocalServer.Schemas;
using Mesa.LocalServer.Storage;
using Mesa.LocalServer.Validation;

namespace Mesa.LocalServer.Endpoints;

/// <summary><c>/principals</c>: register, list, read, and (admin) set capabilities.</summary>
internal sealed class PrincipalEndpoints(MesaStore store, CommitmentTypeCatalog catalog, AdminGate admin)
{
    /// <summary><c>POST /principals</c> <c>{org, public_key}</c>.</summary>
    public async Task CreateAsync(HttpContext context)
    {
        using var body = await RequestBodyReader.ReadAsync(context);
        var reader = ModelReader.Open(body, "PrincipalCreate");
        var org = reader.RequiredString("org", minLength: 1, maxLength: 255);
        if (org is not null)
        {
            var stripped = PythonText.Strip(org);
            if (stripped.Length == 0) reader.ValueError("org", "org must not be blank", org);
            org = stripped;
        }

        var publicKey = reader.RequiredString("public_key", minLength: 64, maxLength: 64);
        if (publicKey is not null && !MesaKeypair.IsValidPublicKeyHex(publicKey))
        {
            reader.ValueError("public_key", "public_key must be a valid ed25519 public key (32-byte hex)", publicKey);
        }

        reader.ThrowIfInvalid();
        PrincipalRecord principal;
        try
        {
            principal = store.CreatePrincipal(org!, publicKey!.ToLowerInvariant());
        }
        catch (DuplicateKeyException)
        {
            throw ApiError.Text(409, "public_key already registered");
        }

        await JsonResponse.WriteAsync(context, 201, principal, ResourceJson.Principal);
    }

    /// <summary><c>GET /principals</c>, oldest first.</summary>
    public Task ListAsync(HttpContext context) =>
        JsonResponse.WriteAsync(context, 200, store.ListPrincipals(), static (w, list) => ResourceJson.List(w, list, ResourceJson.Principal));

    /// <summary><c>GET /principals/{id}</c>.</summary>
    public Task GetAsync(HttpContext context)
    {
        var principal = store.FindPrincipal(RouteId(context)) ?? throw PrincipalNotFound();
        return JsonResponse.WriteAsync(context, 200, principal, ResourceJson.Principal);
    }

    /// <summary>
    /// <c>PUT /principals/{id}/capabilities</c> <c>{capabilities: [...]}</c>: admin only (checked before the body is
    /// validated); every entry must be a loaded type; duplicates dropped, first order kept; replaces the whole list.
    /// </summary>
    public async Task SetCapabilitiesAsync(HttpContext context)
    {
        using var body = await RequestBodyReader.ReadAsync(context);
        admin.Check(context);
        var reader = ModelReader.Open(body, "CapabilitiesUpdate");
        var capabilities = reader.DefaultedStringList("capabilities");
        if (capabilities is not null)
        {
            var unknown = capabilities.Where(c => !catalog.Contains(c)).ToList();
            if (unknown.Count > 0)
            {
                unknown.Sort(PythonText.CompareOrdinalCodePoints);
                reader.ValueError(
                    "capabilities",
                    $"unknown commitment type(s): {PythonText.ReprList(unknown)}. known types: {PythonText.ReprList(catalog.Names)}",
                    reader.Body.GetProperty("capabilities"));
            }
        }

        reader.ThrowIfInvalid();
        var distinct = capabilities!.Distinct(StringComparer.Ordinal).ToArray();
        var principal = store.SetCapabilities(RouteId(context), distinct) ?? throw PrincipalNotFound();
        await JsonResponse.WriteAsync(context, 200, principal, ResourceJson.Principal);
    }

    private static string RouteId(HttpContext context) => (string)context.Request.RouteValues["id"]!;

    private static ApiError PrincipalNotFound() => ApiError.Text(404, "principal not found");
}
