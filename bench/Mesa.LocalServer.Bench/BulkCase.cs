namespace Mesa.LocalServer.Bench;

/// <summary>One line the PowerShell driver reported: a timed case (or a ratio in <see cref="Value"/>).</summary>
internal sealed record BulkCase(string Case, int Items, double Seconds, int Ok, int Errors, string Note, double Value)
{
    public double PerSecond => Seconds > 0 ? Ok / Seconds : 0;

    public bool Measured => Seconds > 0;
}
