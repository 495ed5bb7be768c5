namespace Mesa.LocalServer.Tests.Support;

/// <summary>One shared in-memory v2 server with an admin token, for tests that only add their own principals and deliberations.</summary>
public sealed class ServerFixture : IDisposable
{
    public InProcessServer Server { get; } = new();

    public void Dispose() => Server.Dispose();
}
