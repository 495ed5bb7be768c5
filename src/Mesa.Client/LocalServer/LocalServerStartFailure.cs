namespace Mesa.Client;

/// <summary>Why a local server did not start (<see cref="LocalServerStartException.Failure"/>).</summary>
public enum LocalServerStartFailure
{
    /// <summary>The server build is not at <see cref="LocalServerStartInfo.ServerPath"/>.</summary>
    ServerMissing,

    /// <summary>The dotnet host (or the executable) could not be run.</summary>
    HostNotFound,

    /// <summary>The server exited before its ready line; its exit code and stderr say why.</summary>
    Exited,

    /// <summary>No ready line within <see cref="LocalServerStartInfo.StartTimeout"/>; the server was stopped.</summary>
    TimedOut,

    /// <summary>It wrote its ready line but <c>/health</c> did not answer within <see cref="LocalServerStartInfo.HealthTimeout"/>.</summary>
    NotAnswering,
}
