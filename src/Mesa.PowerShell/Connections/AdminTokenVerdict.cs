namespace Mesa.PowerShell.Infrastructure;

/// <summary>What the admin token check found out about a connection's admin token.</summary>
internal enum AdminTokenVerdict
{
    /// <summary>The admin gate let the probe through: the token is the server's.</summary>
    Accepted,

    /// <summary>The admin gate refused the token (<c>admin_forbidden</c>, or a 401).</summary>
    Rejected,

    /// <summary>The server has no admin token configured (<c>admin_disabled</c>): no token can work there.</summary>
    Disabled,

    /// <summary>The server's answer says nothing about the token (an unexpected status, a proxy page).</summary>
    Unknown,
}
