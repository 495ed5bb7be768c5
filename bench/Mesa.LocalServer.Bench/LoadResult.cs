namespace Mesa.LocalServer.Bench;

/// <summary>What one scenario measured.</summary>
internal sealed record LoadResult(string Scenario, int Clients, long Requests, long Failures, TimeSpan Elapsed, double P50Milliseconds, double P99Milliseconds)
{
    public double PerSecond => Requests / Elapsed.TotalSeconds;
}
