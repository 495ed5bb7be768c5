using System.Text.Json;
using Mesa.LocalServer.Python;
using Mesa.LocalServer.Validation;

namespace Mesa.LocalServer.Policies;

/// <summary>
/// Validates one policy object (the fields of contract section 8; <c>id</c> optional, <c>enabled</c> defaults to true,
/// <c>scope_kind</c> to <c>global</c>, <c>params</c> to <c>{}</c>, <c>hits30d</c> to 0). Problems come back in FastAPI's form.
/// </summary>
internal static class PolicyInputReader
{
    private static readonly string[] Fields =
    {
        "id", "name", "scope_kind", "scope_ref", "predicate_name", "params", "action", "route_to", "enabled", "hits30d",
    };

    /// <summary>Reads the policy; null when <paramref name="reader"/> collected problems.</summary>
    public static PolicyInput? Read(ModelReader reader)
    {
        var id = reader.NullableString("id", minLength: 1, maxLength: 64);
        var name = reader.RequiredString("name", minLength: 1, maxLength: 255);
        var scopeKind = reader.Literal("scope_kind", PolicyScopes.All, PolicyScopes.Global);
        var scopeRef = reader.NullableString("scope_ref", maxLength: 255);
        if (scopeKind is PolicyScopes.Agent or PolicyScopes.Counterparty && string.IsNullOrEmpty(scopeRef))
        {
            reader.ValueError("scope_ref", $"a '{scopeKind}' policy needs scope_ref ({(scopeKind == PolicyScopes.Agent ? "the principal id it applies to" : "the counterparty slug")})", null);
        }

        var predicate = reader.RequiredString("predicate_name", minLength: 1);
        if (predicate is not null && !PolicyPredicates.IsKnown(predicate))
        {
            reader.ValueError("predicate_name", $"unknown predicate {PythonText.Repr(predicate)}; known predicates: {PythonText.ReprList(PolicyPredicates.Names)}", predicate);
            predicate = null;
        }

        var parameters = reader.DefaultedObject("params");
        if (parameters is JsonElement candidate && candidate.ValueKind == JsonValueKind.Object && !IsEncodable(candidate))
        {
            // The predicates look members up later, on every commitment; a lone surrogate would break each of them.
            reader.ValueError("params", "params must not hold a lone surrogate (an unpaired \\ud800-\\udfff escape in a key or string): it cannot be encoded as UTF-8", candidate);
            parameters = null;
        }

        if (parameters is JsonElement p && predicate is not null && PolicyPredicates.NeedsCap(predicate) && !HasNumericCap(p))
        {
            reader.ValueError("params", $"the predicate '{predicate}' needs a numeric cap, such as {{\"cap\": 36}}", p.ValueKind == JsonValueKind.Undefined ? EmptyJsonObject.Instance : p);
        }

        var action = reader.Literal("action", PolicyActions.All, null, required: true);
        var routeTo = reader.NullableString("route_to", maxLength: 255);
        if (action == PolicyActions.Route && string.IsNullOrEmpty(routeTo))
        {
            reader.ValueError("route_to", "a 'route' policy must name route_to (where the commitment is routed)", routeTo);
        }

        var enabled = reader.DefaultedBool("enabled", true);
        var hits = reader.DefaultedInteger("hits30d", 0, 0);
        reader.ForbidExtra(Fields);

        if (!reader.IsValid || name is null || scopeKind is null || predicate is null || parameters is null || action is null || enabled is null || hits is null)
        {
            return null;
        }

        var paramsJson = parameters.Value.ValueKind == JsonValueKind.Undefined ? "{}" : parameters.Value.GetRawText();
        return new PolicyInput(id, name, scopeKind, scopeRef, predicate, paramsJson, action, routeTo, enabled.Value, hits.Value);
    }

    private static bool IsEncodable(JsonElement parameters)
    {
        try
        {
            _ = PythonJsonText.Write(parameters);
            return true;
        }
        catch (Mesa.Client.CanonicalJsonException)
        {
            return false;
        }
    }

    private static bool HasNumericCap(JsonElement parameters) =>
        parameters.ValueKind == JsonValueKind.Object
        && parameters.TryGetProperty("cap", out var cap)
        && PythonNumber.TryRead(cap, out var number)
        && number.IsFinite;
}
