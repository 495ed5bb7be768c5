using System.Collections;
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace Mesa.PowerShell.Tests;

/// <summary>
/// A runspace with the BUILT module (out/Mesa) imported, as a user would have it. Scripts run in it; their output,
/// and the errors they wrote, come back for assertions.
/// </summary>
public sealed class PowerShellSession : IDisposable
{
    private readonly Runspace _runspace;

    public PowerShellSession()
    {
        if (!File.Exists(BuiltModule.ManifestPath))
        {
            throw new InvalidOperationException($"The module is not built: {BuiltModule.ManifestPath} is missing. Run: dotnet pwsh ./build.ps1 Build");
        }

        _runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        _runspace.Open();
        Run("Import-Module -Name $args[0] -ErrorAction Stop", BuiltModule.ManifestPath);
    }

    public Runspace Runspace => _runspace;

    /// <summary>The non-terminating errors of the last <see cref="Run"/>.</summary>
    public IReadOnlyList<ErrorRecord> Errors { get; private set; } = Array.Empty<ErrorRecord>();

    /// <summary>Runs a script (arguments in <c>$args</c>); a terminating error surfaces as <see cref="RuntimeException"/>.</summary>
    public Collection<PSObject> Run(string script, params object?[] arguments)
    {
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript(script);
        foreach (var argument in arguments) ps.AddArgument(argument);
        var output = ps.Invoke();
        Errors = ps.Streams.Error.ToArray();
        return output;
    }

    /// <summary>
    /// Runs a script whose one command must fail terminating (inside a script that stops the statement, and with it
    /// any output); returns its error record.
    /// </summary>
    public ErrorRecord RunFailing(string script, params object?[] arguments)
    {
        var output = Run("try { " + script + " } catch { $_ }", arguments);
        Assert.Empty(Errors);
        var caught = Assert.Single(output);
        return Assert.IsType<ErrorRecord>(caught.BaseObject);
    }

    /// <summary>Runs a script and returns its single output object.</summary>
    public PSObject RunSingle(string script, params object?[] arguments)
    {
        var output = Run(script, arguments);
        Assert.True(Errors.Count == 0, "Unexpected errors: " + string.Join("; ", Errors.Select(e => e.ToString())));
        return Assert.Single(output);
    }

    public void Dispose() => _runspace.Dispose();
}
