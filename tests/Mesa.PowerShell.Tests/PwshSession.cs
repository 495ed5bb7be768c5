using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace Mesa.PowerShell.Tests;

/// <summary>An in-process PowerShell runspace with the built module imported. One per test class (not thread-safe).</summary>
public sealed class PwshSession : IDisposable
{
    private readonly Runspace _runspace;

    public PwshSession()
    {
        var manifest = BuiltModule.ManifestPath;
        var state = InitialSessionState.CreateDefault2();
        if (OperatingSystem.IsWindows()) state.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
        _runspace = RunspaceFactory.CreateRunspace(state);
        _runspace.Open();
        Run("Import-Module -Name $manifest -ErrorAction Stop", ("manifest", manifest)).AssertNoErrors();
    }

    /// <summary>Runs a script with the given variables set; terminating errors surface as exceptions.</summary>
    internal PwshResult Run(string script, params (string Name, object? Value)[] variables)
    {
        foreach (var (name, value) in variables)
        {
            _runspace.SessionStateProxy.SetVariable(name, value);
        }

        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript(script);
        var output = ps.Invoke();
        return new PwshResult(
            output.ToList(), ps.Streams.Error.ToList(), ps.Streams.Warning.ToList(), ps.Streams.Verbose.ToList(), ps.Streams.Debug.ToList());
    }

    public void Dispose() => _runspace.Dispose();
}
