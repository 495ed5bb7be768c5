using System.Management.Automation;

namespace Mesa.PowerShell.Tests;

/// <summary>What one script run produced, stream by stream.</summary>
internal sealed record PwshResult(
    IReadOnlyList<PSObject> Output,
    IReadOnlyList<ErrorRecord> Errors,
    IReadOnlyList<WarningRecord> Warnings,
    IReadOnlyList<VerboseRecord> Verbose,
    IReadOnlyList<DebugRecord> Debug)
{
    /// <summary>The output as one string (each object's ToString on its own line).</summary>
    public string Text => string.Join(Environment.NewLine, Output.Select(o => o?.ToString()));

    /// <summary>Fails the test, showing the errors, when there are any.</summary>
    public PwshResult AssertNoErrors()
    {
        Assert.True(Errors.Count == 0, "Unexpected errors: " + string.Join(" | ", Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e}")));
        return this;
    }
}
