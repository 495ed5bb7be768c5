namespace Mesa.PowerShell;

/// <summary>What <c>Test-MesaConnection</c> found: whether the server answered <c>/health</c>, and how fast.</summary>
public sealed class MesaConnectionTest
{
    internal MesaConnectionTest(Uri uri, bool succeeded, string status, double roundTripMs, string? error)
    {
        Uri = uri;
        Succeeded = succeeded;
        Status = status;
        RoundTripMs = roundTripMs;
        Error = error;
    }

    /// <summary>The server's base URI.</summary>
    public Uri Uri { get; }

    /// <summary>True when <c>/health</c> answered with a success status.</summary>
    public bool Succeeded { get; }

    /// <summary>
    /// What <c>/health</c> said (<c>ok</c>) when it answered; otherwise the failure's error id, such as
    /// <c>ConnectionFailed</c> or <c>ServerError</c>.
    /// </summary>
    public string Status { get; }

    /// <summary>Time for the <c>/health</c> round trip, in milliseconds.</summary>
    public double RoundTripMs { get; }

    /// <summary>Why the check failed; null when it succeeded.</summary>
    public string? Error { get; }

    /// <summary>The URI and status.</summary>
    public override string ToString() => $"{Uri} {Status}";
}
