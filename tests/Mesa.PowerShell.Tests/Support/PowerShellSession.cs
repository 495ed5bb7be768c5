using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace Mesa.PowerShell.Tests;

/// <summary>
/// An in-process runspace with the BUILT module (out/Mesa) imported, as a user would have it: the cmdlets under test
/// are the shipped ones. Used as a class fixture where tests may share state, or one per test where they must not
/// (a local server belongs to the runspace that started it). Not thread-safe.
/// </summary>
public sealed class PowerShellSession : IDisposable
{
    private readonly Runspace _runspace;

    /// <summary>Opens the runspace and imports out/Mesa/Mesa.psd1; fails with build instructions when it is missing.</summary>
    public PowerShellSession()
    {
        var manifest = BuiltModule.ManifestPath;
        var state = InitialSessionState.CreateDefault2();

        // So that a machine's execution policy on Windows cannot block the module's manifest and format file.
        if (OperatingSystem.IsWindows()) state.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
        _runspace = RunspaceFactory.CreateRunspace(state);
        _runspace.Open();
        Run("Import-Module -Name $manifest -ErrorAction Stop", ("manifest", manifest)).AssertNoErrors();
    }

    /// <summary>
    /// Runs a script in the global scope (its variables stay for the next run) with the given variables set first;
    /// a terminating error surfaces as <see cref="RuntimeException"/>.
    /// </summary>
    public ScriptResult Run(string script, params (string Name, object? Value)[] variables)
    {
        foreach (var (name, value) in variables)
        {
            _runspace.SessionStateProxy.SetVariable(name, value);
        }

        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript(script);
        var output = ps.Invoke();
        return new ScriptResult(
            output.ToList(), ps.Streams.Error.ToList(), ps.Streams.Warning.ToList(), ps.Streams.Verbose.ToList(), ps.Streams.Debug.ToList());
    }

    /// <summary>Runs a script that must write no error and exactly one object; returns that object.</summary>
    public PSObject RunSingle(string script, params (string Name, object? Value)[] variables) =>
        Assert.Single(Run(script, variables).AssertNoErrors().Output);

    /// <summary>
    /// Runs a script whose one command must fail terminating (inside a script that stops the statement, and with it
    /// any output); returns its error record.
    /// </summary>
    public ErrorRecord RunFailing(string script, params (string Name, object? Value)[] variables)
    {
        var result = Run("try { " + script + " } catch { $_ }", variables);
        Assert.Empty(result.Errors);
        var caught = Assert.Single(result.Output);
        return Assert.IsType<ErrorRecord>(caught.BaseObject);
    }

    /// <summary>A PowerShell pipeline on this session's runspace, for tests that drive it asynchronously (Stop).</summary>
    public System.Management.Automation.PowerShell CreatePipeline()
    {
        var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = _runspace;
        return ps;
    }

    /// <summary>Closes the runspace, which also stops any local server started in it.</summary>
    public void Dispose() => _runspace.Dispose();
}
