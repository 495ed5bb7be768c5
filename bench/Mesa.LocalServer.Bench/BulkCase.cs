namespace Mesa.LocalServer.Bench;

/// <summary>
/// One line the PowerShell driver reported: a timed case (or a ratio in <see cref="Value"/>), with the CPU time the
/// pwsh process and the server used during it, and the part of it pwsh spent compiling (JIT; near zero once warm).
/// </summary>
internal sealed record BulkCase(
    string Case, int Items, double Seconds, int Ok, int Errors, string Note, double Value, TimeSpan ClientCpu, TimeSpan ServerCpu, TimeSpan ClientJit)
{
    public double PerSecond => Seconds > 0 ? Ok / Seconds : 0;

    /// <summary>CPU time of the pwsh process (all threads) per item, in microseconds.</summary>
    public double ClientCpuMicroseconds => Items == 0 ? 0 : ClientCpu.TotalMicroseconds / Items;

    /// <summary>CPU time of the server per item, in microseconds.</summary>
    public double ServerCpuMicroseconds => Items == 0 ? 0 : ServerCpu.TotalMicroseconds / Items;

    public bool Measured => Seconds > 0;
}
