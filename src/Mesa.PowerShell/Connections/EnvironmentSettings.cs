using Mesa.Client;

namespace Mesa.PowerShell.Infrastructure;

/// <summary>
/// The environment variables an implicit connection is made from (<c>MESA_URL</c>, <c>MESA_ADMIN_TOKEN</c>,
/// <c>MESA_PROFILE</c>); compared whole, so a change of any of them makes a new connection.
/// </summary>
internal sealed record EnvironmentSettings(string Url, string? Token, string? Profile)
{
    /// <summary>The current variables; null when <c>MESA_URL</c> is not set.</summary>
    public static EnvironmentSettings? Read()
    {
        var url = Environment.GetEnvironmentVariable(MesaEnvironmentVariables.Url);
        if (string.IsNullOrWhiteSpace(url)) return null;
        return new EnvironmentSettings(
            url, NullIfBlank(Environment.GetEnvironmentVariable(MesaEnvironmentVariables.AdminToken)), NullIfBlank(Environment.GetEnvironmentVariable(MesaEnvironmentVariables.Profile)));
    }

    /// <summary>The URL only: a record would print every member, the token included.</summary>
    public override string ToString() => Url;

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
