namespace Mesa.Client;

/// <summary>The answer of <c>GET /health</c>.</summary>
public sealed record MesaHealth
{
    /// <summary><c>ok</c> when the server is alive.</summary>
    public string Status { get; init; } = "";
}
