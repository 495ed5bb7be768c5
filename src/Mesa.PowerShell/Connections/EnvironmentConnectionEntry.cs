namespace Mesa.PowerShell.Infrastructure;

/// <summary>One implicit connection made from environment variables, and whether its server has been checked.</summary>
internal sealed class EnvironmentConnectionEntry
{
    internal EnvironmentConnectionEntry(EnvironmentSettings settings, MesaConnection connection)
    {
        Settings = settings;
        Connection = connection;
    }

    /// <summary>The variables it was made from.</summary>
    public EnvironmentSettings Settings { get; }

    /// <summary>The connection (after the checks, the one carrying the health status).</summary>
    public MesaConnection Connection { get; internal set; }

    /// <summary>True once <c>/health</c> (and the admin token, when set) answered.</summary>
    public bool Verified { get; internal set; }
}
