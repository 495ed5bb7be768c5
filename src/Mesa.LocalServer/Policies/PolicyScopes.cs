namespace Mesa.LocalServer.Policies;

/// <summary>Policy scope kinds. Only <c>global</c> and <c>agent</c> ever match; <c>counterparty</c> is stored but dormant, as upstream.</summary>
internal static class PolicyScopes
{
    public const string Global = "global";
    public const string Agent = "agent";
    public const string Counterparty = "counterparty";

    public static IReadOnlyList<string> All { get; } = new[] { Global, Agent, Counterparty };
}
