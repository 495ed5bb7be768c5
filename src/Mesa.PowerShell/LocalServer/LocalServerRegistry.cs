using System.Management.Automation.Runspaces;

namespace Mesa.PowerShell.LocalServer;

/// <summary>
/// Every local server this process started, so none outlives its session: each is stopped when its runspace
/// closes, when the module is removed from it, and when the process exits (AppDomain.ProcessExit).
/// </summary>
internal static class LocalServerRegistry
{
    private static readonly object Gate = new();
    private static readonly List<MesaLocalServer> Servers = new();
    private static readonly HashSet<Guid> WatchedRunspaces = new();
    private static bool s_exitHooked;

    public static void Add(MesaLocalServer server, Runspace? owner)
    {
        lock (Gate)
        {
            Servers.Add(server);
            if (!s_exitHooked)
            {
                AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAll();
                s_exitHooked = true;
            }

            if (owner is not null && WatchedRunspaces.Add(owner.InstanceId))
            {
                var id = owner.InstanceId;
                owner.StateChanged += (_, e) =>
                {
                    if (e.RunspaceStateInfo.State is RunspaceState.Closed or RunspaceState.Broken)
                    {
                        StopOwnedBy(id);
                        lock (Gate) WatchedRunspaces.Remove(id);
                    }
                };
            }
        }
    }

    /// <summary>The servers started from the given runspace, oldest first.</summary>
    public static IReadOnlyList<MesaLocalServer> OwnedBy(Guid runspaceId)
    {
        lock (Gate) return Servers.Where(s => s.OwnerRunspaceId == runspaceId).ToArray();
    }

    /// <summary>Finds a registered server (from any runspace of this process).</summary>
    public static MesaLocalServer? Find(Func<MesaLocalServer, bool> match)
    {
        lock (Gate) return Servers.FirstOrDefault(match);
    }

    public static void Stop(MesaLocalServer server)
    {
        server.Stop();
        lock (Gate) Servers.Remove(server);
    }

    public static void StopOwnedBy(Guid runspaceId)
    {
        foreach (var server in OwnedBy(runspaceId)) Stop(server);
    }

    public static void StopAll()
    {
        MesaLocalServer[] all;
        lock (Gate) all = Servers.ToArray();
        foreach (var server in all) Stop(server);
    }
}
