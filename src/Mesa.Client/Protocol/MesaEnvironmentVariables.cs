namespace Mesa.Client;

/// <summary>The environment variables mesa reads: the names live here and nowhere else.</summary>
public static class MesaEnvironmentVariables
{
    /// <summary>
    /// <c>MESA_ADMIN_TOKEN</c>: the admin token. The local server reads it when <c>--admin-token</c> is not given (and
    /// launchers hand a token to the server this way, never on its command line); the module falls back to it for a
    /// connection's admin token.
    /// </summary>
    public const string AdminToken = "MESA_ADMIN_TOKEN";

    /// <summary><c>MESA_URL</c>: the server address the module connects to when no connection was made.</summary>
    public const string Url = "MESA_URL";

    /// <summary><c>MESA_PROFILE</c>: the signing profile (<c>v1</c> or <c>v2</c>) for a connection made from <see cref="Url"/>.</summary>
    public const string Profile = "MESA_PROFILE";
}
