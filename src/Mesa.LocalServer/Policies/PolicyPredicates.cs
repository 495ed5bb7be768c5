using System.Text.Json;
using Mesa.LocalServer.Python;

namespace Mesa.LocalServer.Policies;

/// <summary>
/// The built-in predicates (contract section 8). Each reads <c>payload.terms</c> (anything but an object means "does not
/// fire"), never takes a boolean for a number, and compares strictly greater.
/// </summary>
internal static class PolicyPredicates
{
    public const string TermMonthsOverCap = "term_months_over_cap";
    public const string SpendOverCap = "spend_over_cap";
    public const string AgentDiscountOverCap = "agent_discount_over_cap";
    public const string ScopeMentionsPiiWithoutDpa = "scope_mentions_pii_without_dpa";

    /// <summary>Every predicate name.</summary>
    public static IReadOnlyList<string> Names { get; } = new[] { AgentDiscountOverCap, ScopeMentionsPiiWithoutDpa, SpendOverCap, TermMonthsOverCap };

    /// <summary>True when <paramref name="name"/> is a built-in predicate.</summary>
    public static bool IsKnown(string name) => Names.Contains(name, StringComparer.Ordinal);

    /// <summary>True when the predicate compares against a <c>cap</c> parameter.</summary>
    public static bool NeedsCap(string name) => name is TermMonthsOverCap or SpendOverCap or AgentDiscountOverCap;

    /// <summary>True when predicate <paramref name="name"/> fires for <paramref name="payload"/>.</summary>
    /// <exception cref="InvalidOperationException">An unknown predicate (a server error, as upstream).</exception>
    public static bool Fires(string name, JsonElement parameters, JsonElement payload) => name switch
    {
        TermMonthsOverCap => OverCap(Terms(payload), "term_months", parameters),
        SpendOverCap => OverCap(Terms(payload), "fee_total_usd", parameters),
        AgentDiscountOverCap => OverCap(Terms(payload), "discount_pct", parameters),
        ScopeMentionsPiiWithoutDpa => PiiWithoutDpa(Terms(payload)),
        _ => throw new InvalidOperationException($"No policy predicate is registered with the name '{name}'."),
    };

    private static JsonElement? Terms(JsonElement payload) =>
        payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty("terms", out var terms) && terms.ValueKind == JsonValueKind.Object
            ? terms
            : null;

    private static bool OverCap(JsonElement? terms, string field, JsonElement parameters)
    {
        if (terms is not JsonElement t || !t.TryGetProperty(field, out var value)) return false;
        if (parameters.ValueKind != JsonValueKind.Object || !parameters.TryGetProperty("cap", out var capElement)) return false;
        return PythonNumber.TryRead(value, out var number)
            && PythonNumber.TryRead(capElement, out var cap)
            && number.GreaterThan(cap);
    }

    private static bool PiiWithoutDpa(JsonElement? terms)
    {
        if (terms is not JsonElement t || !t.TryGetProperty("scope", out var scope) || scope.ValueKind != JsonValueKind.Array) return false;
        var mentionsPii = false;
        foreach (var item in scope.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String && string.Equals(JsonStrings.Read(item, out _).ToUpperInvariant(), "PII", StringComparison.Ordinal))
            {
                mentionsPii = true;
                break;
            }
        }

        return mentionsPii && !(t.TryGetProperty("dpa_attached", out var dpa) && IsTruthy(dpa));
    }

    // Python's bool(): None, False, 0, 0.0, "", [] and {} are false.
    private static bool IsTruthy(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.False or JsonValueKind.Undefined => false,
        JsonValueKind.True => true,
        JsonValueKind.Number => PythonNumber.TryRead(value, out var n) && !n.IsZero,
        JsonValueKind.String => value.GetRawText().Length > 2,
        JsonValueKind.Array => value.GetArrayLength() > 0,
        JsonValueKind.Object => value.EnumerateObject().Any(),
        _ => true,
    };
}
