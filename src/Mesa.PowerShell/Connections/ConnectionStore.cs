using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace Mesa.PowerShell.Infrastructure;

/// <summary>The default connection of each runspace (so parallel runspaces never trample each other's).</summary>
internal static class ConnectionStore
{
    private static readonly ConditionalWeakTable<Runspace, Holder> Defaults = new();

    /// <summary>
    /// The connection in effect without <c>-Connection</c>: the one Connect-Mesa made, else the implicit one from
    /// <c>$env:MESA_URL</c> (not checked yet at this point; see <see cref="EnvironmentConnection"/>).
    /// </summary>
    public static MesaConnection? Get() => GetDefault() ?? EnvironmentConnection.Peek();

    /// <summary>The default Connect-Mesa made in this runspace, ignoring the environment.</summary>
    public static MesaConnection? GetDefault()
    {
        var runspace = Runspace.DefaultRunspace;
        return runspace is not null && Defaults.TryGetValue(runspace, out var holder) ? holder.Connection : null;
    }

    /// <summary>Sets (or, with null, clears) the default; returns the one it replaced.</summary>
    public static MesaConnection? Set(MesaConnection? connection)
    {
        var runspace = Runspace.DefaultRunspace ?? throw new InvalidOperationException("No runspace on this thread.");
        var holder = Defaults.GetValue(runspace, _ => new Holder());
        var previous = holder.Connection;
        holder.Connection = connection;
        return previous;
    }

    private sealed class Holder
    {
        public MesaConnection? Connection { get; set; }
    }
}
