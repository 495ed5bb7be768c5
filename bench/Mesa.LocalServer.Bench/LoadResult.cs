namespace Mesa.LocalServer.Bench;

/// <summary>What one scenario measured.</summary>
internal sealed record LoadResult(
    string Scenario, int Clients, long Requests, long Failures, TimeSpan Elapsed, double P50Milliseconds, double P99Milliseconds, TimeSpan ServerCpu, TimeSpan ClientCpu)
{
    public double PerSecond => Requests / Elapsed.TotalSeconds;

    /// <summary>Server CPU time (all threads) per answered request, in microseconds: what the server spends, whatever else runs on the box.</summary>
    public double ServerCpuMicroseconds => Requests == 0 ? 0 : ServerCpu.TotalMicroseconds / Requests;

    /// <summary>The load generator's own CPU time (this process, all threads) per answered request, in microseconds.</summary>
    public double ClientCpuMicroseconds => Requests == 0 ? 0 : ClientCpu.TotalMicroseconds / Requests;
}
