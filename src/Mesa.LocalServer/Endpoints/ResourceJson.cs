using System.Text.Json;
using Mesa.LocalServer.Policies;
using Mesa.LocalServer.Storage;

namespace Mesa.LocalServer.Endpoints;

/// <summary>Writes the response shapes of contract section 4, fields in the upstream order.</summary>
internal static class ResourceJson
{
    public static void Principal(Utf8JsonWriter w, PrincipalRecord p)
    {
        w.WriteStartObject();
        w.WriteString("id", p.Id);
        w.WriteString("org", p.Org);
        w.WriteString("public_key", p.PublicKey);
        w.WriteStartArray("capabilities");
        foreach (var capability in p.Capabilities) w.WriteStringValue(capability);
        w.WriteEndArray();
        w.WriteString("created_at", p.CreatedAt);
        w.WriteEndObject();
    }

    public static void Deliberation(Utf8JsonWriter w, DeliberationRecord d)
    {
        w.WriteStartObject();
        DeliberationFields(w, d);
        w.WriteEndObject();
    }

    public static void DeliberationDetail(Utf8JsonWriter w, DeliberationDetail detail)
    {
        w.WriteStartObject();
        DeliberationFields(w, detail.Deliberation);
        w.WriteStartArray("turns");
        foreach (var turn in detail.Turns) Turn(w, turn);
        w.WriteEndArray();
        w.WriteStartArray("commitments");
        foreach (var c in detail.Commitments)
        {
            w.WriteStartObject();
            w.WriteString("id", c.Id);
            w.WriteString("type", c.Type);
            w.WriteString("principal_id", c.PrincipalId);
            w.WriteString("status", c.Status);
            w.WritePropertyName("payload");
            w.WriteRawValue(c.PayloadJson, skipInputValidation: true);
            w.WriteString("created_at", c.CreatedAt);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void Turn(Utf8JsonWriter w, TurnRecord t)
    {
        w.WriteStartObject();
        w.WriteString("id", t.Id);
        w.WriteString("deliberation_id", t.DeliberationId);
        w.WriteString("speaker_id", t.SpeakerId);
        w.WriteString("content", t.Content);
        w.WriteNumber("index", t.Index);
        w.WriteString("created_at", t.CreatedAt);
        w.WriteEndObject();
    }

    public static void CommitmentResult(Utf8JsonWriter w, string id, string type, string principalId, string status, PolicyDecision decision)
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("type", type);
        w.WriteString("principal_id", principalId);
        w.WriteString("status", status);
        w.WriteStartObject("decision");
        w.WriteString("action", decision.Action);
        w.WriteStartArray("applied");
        foreach (var a in decision.Applied)
        {
            w.WriteStartObject();
            w.WriteString("policy_id", a.PolicyId);
            w.WriteString("policy_name", a.PolicyName);
            w.WriteString("action", a.Action);
            w.WriteString("route_to", a.RouteTo);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static void Policy(Utf8JsonWriter w, PolicyRecord p)
    {
        w.WriteStartObject();
        w.WriteString("id", p.Id);
        w.WriteString("name", p.Name);
        w.WriteString("scope_kind", p.ScopeKind);
        w.WriteString("scope_ref", p.ScopeRef);
        w.WriteString("predicate_name", p.PredicateName);
        w.WritePropertyName("params");
        w.WriteRawValue(p.ParamsJson, skipInputValidation: true);
        w.WriteString("action", p.Action);
        w.WriteString("route_to", p.RouteTo);
        w.WriteBoolean("enabled", p.Enabled);
        w.WriteNumber("hits30d", p.Hits30d);
        w.WriteString("created_at", p.CreatedAt);
        w.WriteEndObject();
    }

    public static void List<T>(Utf8JsonWriter w, IReadOnlyList<T> items, Action<Utf8JsonWriter, T> write)
    {
        w.WriteStartArray();
        foreach (var item in items) write(w, item);
        w.WriteEndArray();
    }

    private static void DeliberationFields(Utf8JsonWriter w, DeliberationRecord d)
    {
        w.WriteString("id", d.Id);
        w.WriteString("title", d.Title);
        w.WriteString("counterparty_slug", d.CounterpartySlug);
        w.WriteString("stage", d.Stage);
        w.WriteString("status", d.Status);
        w.WriteString("created_at", d.CreatedAt);
    }
}
