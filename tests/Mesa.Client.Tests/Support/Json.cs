namespace Mesa.Client.Tests.Support;

/// <summary>Response bodies in the shapes of protocol section 4.</summary>
internal static class Json
{
    public const string Principal =
        "{\"id\":\"0f8fad5bd9cb469fa16570867728950e\",\"org\":\"acme\"," +
        "\"public_key\":\"d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a\"," +
        "\"capabilities\":[\"offer\",\"turn\"],\"created_at\":\"2026-11-28T11:50:16\"}";

    public const string Deliberation =
        "{\"id\":\"d1\",\"title\":\"Data licence\",\"counterparty_slug\":\"globex\",\"stage\":\"offer\",\"status\":\"open\",\"created_at\":\"2026-11-28T12:00:00\"}";
}
