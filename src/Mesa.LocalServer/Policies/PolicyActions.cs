namespace Mesa.LocalServer.Policies;

/// <summary>Policy actions and their precedence: block &gt; route &gt; flag &gt; allow.</summary>
internal static class PolicyActions
{
    public const string Allow = "allow";
    public const string Flag = "flag";
    public const string Route = "route";
    public const string Block = "block";

    /// <summary>Every action, weakest first.</summary>
    public static IReadOnlyList<string> All { get; } = new[] { Allow, Flag, Route, Block };

    /// <summary>The precedence of <paramref name="action"/> (higher wins).</summary>
    public static int Strength(string action) => action switch
    {
        Block => 3,
        Route => 2,
        Flag => 1,
        _ => 0,
    };
}
