using System.Management.Automation;
using System.Management.Automation.Runspaces;
using Mesa.PowerShell.Infrastructure;
using Mesa.PowerShell.LocalServer;

namespace Mesa.PowerShell.Commands;

/// <summary>
/// Stops local servers this session started: the ones given (server objects, process ids or URIs), or with no
/// argument every one this session started. Never touches a process it did not start.
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "MesaLocalServer", SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class StopMesaLocalServerCommand : MesaCmdlet
{
    /// <summary>The server to stop: an object from Start-MesaLocalServer or Get-MesaLocalServer, a process id or a URI.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true)]
    public object? Server { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (Server is null)
        {
            // A piped $null or empty collection must not mean "stop everything".
            if (MyInvocation.ExpectingInput) return;
            foreach (var owned in LocalServerRegistry.OwnedBy(Runspace.DefaultRunspace?.InstanceId ?? Guid.Empty))
            {
                StopOne(owned);
            }

            return;
        }

        var server = Resolve(Server);
        if (server is null)
        {
            WriteError(ErrorIds.LocalServerNotFoundError(Server));
            return;
        }

        StopOne(server);
    }

    private void StopOne(MesaLocalServer server)
    {
        if (!ShouldProcess(server.ToString(), "Stop")) return;
        LocalServerRegistry.Stop(server);
        WriteVerbose($"Stopped mesa local server {server}.");
    }

    private static MesaLocalServer? Resolve(object input)
    {
        var value = input is PSObject pso ? pso.BaseObject : input;
        switch (value)
        {
            case MesaLocalServer server:
                // Already stopped objects resolve to nothing in the registry; stopping them again is harmless.
                return server;
            case int pid:
                return LocalServerRegistry.Find(s => s.ProcessId == pid);
            case Uri uri:
                return LocalServerRegistry.Find(s => SameServer(s.Uri, uri));
            case string text when int.TryParse(text, out var pid):
                return LocalServerRegistry.Find(s => s.ProcessId == pid);
            case string text when Uri.TryCreate(text, UriKind.Absolute, out var uri):
                return LocalServerRegistry.Find(s => SameServer(s.Uri, uri));
        }

        // A deserialized or reshaped server object: match on its process id.
        var property = PSObject.AsPSObject(input).Properties["ProcessId"];
        return property?.Value is { } id && LanguagePrimitives.TryConvertTo<int>(id, out var processId)
            ? LocalServerRegistry.Find(s => s.ProcessId == processId)
            : null;
    }

    private static bool SameServer(Uri a, Uri b) =>
        string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;
}
