namespace Mesa.LocalServer.Tests.Support;

/// <summary>Payload builders for tests.</summary>
public static class Payloads
{
    public static Dictionary<string, object?> Offer(string summary = "an offer", Dictionary<string, object?>? terms = null) =>
        new() { ["summary"] = summary, ["terms"] = terms ?? new Dictionary<string, object?>() };

    public static Dictionary<string, object?> Terms(params (string Key, object? Value)[] members) =>
        members.ToDictionary(m => m.Key, m => m.Value);

    public static Dictionary<string, object?> Turn(string content) => new() { ["content"] = content };
}
