using System.Management.Automation;

namespace Mesa.PowerShell.Tests;

/// <summary>
/// What one script run produced, stream by stream. Returned rather than kept on the session, so that an assertion
/// always reads the streams of the run it is about.
/// </summary>
public sealed record ScriptResult(
    IReadOnlyList<PSObject> Output,
    IReadOnlyList<ErrorRecord> Errors,
    IReadOnlyList<WarningRecord> Warnings,
    IReadOnlyList<VerboseRecord> Verbose,
    IReadOnlyList<DebugRecord> Debug)
{
    /// <summary>The output as one string (each object's ToString on its own line).</summary>
    public string Text => string.Join(Environment.NewLine, Output.Select(o => o?.ToString()));

    /// <summary>Fails the test, showing each error's id and message, when the run wrote any error.</summary>
    public ScriptResult AssertNoErrors()
    {
        Assert.True(Errors.Count == 0, "Unexpected errors: " + string.Join(" | ", Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e}")));
        return this;
    }
}
