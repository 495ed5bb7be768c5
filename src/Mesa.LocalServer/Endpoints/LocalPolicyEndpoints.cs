using Mesa.LocalServer.Http;
using Mesa.LocalServer.Policies;
using Mesa.LocalServer.Storage;
using Mesa.LocalServer.Validation;

namespace Mesa.LocalServer.Endpoints;

/// <summary>
/// The local-only extension <c>/_local/policies</c> (upstream has no policies API): list with hit counts, add one, delete
/// one. Behind the admin token, which is checked before the body is validated.
/// </summary>
internal sealed class LocalPolicyEndpoints(MesaStore store, AdminGate admin)
{
    /// <summary><c>GET /_local/policies</c>, in evaluation order.</summary>
    public Task ListAsync(HttpContext context)
    {
        admin.Check(context);
        return JsonResponse.WriteAsync(context, 200, store.ListPolicies(), static (w, list) => ResourceJson.List(w, list, ResourceJson.Policy));
    }

    /// <summary><c>POST /_local/policies</c>: one policy; 201 with the stored policy (and its id).</summary>
    public async Task AddAsync(HttpContext context)
    {
        using var body = await RequestBodyReader.ReadAsync(context);
        admin.Check(context);
        var reader = ModelReader.Open(body, "Policy");
        var input = PolicyInputReader.Read(reader);
        reader.ThrowIfInvalid();
        PolicyRecord policy;
        try
        {
            policy = store.AddPolicy(input!);
        }
        catch (DuplicateKeyException ex)
        {
            throw ApiError.Text(409, ex.Message);
        }

        await JsonResponse.WriteAsync(context, 201, policy, ResourceJson.Policy);
    }

    /// <summary><c>DELETE /_local/policies/{id}</c>: 204, or 404 when there is no such policy.</summary>
    public Task DeleteAsync(HttpContext context)
    {
        admin.Check(context);
        if (!store.DeletePolicy((string)context.Request.RouteValues["id"]!))
        {
            throw ApiError.Text(404, "policy not found");
        }

        context.Response.StatusCode = 204;
        return Task.CompletedTask;
    }
}
