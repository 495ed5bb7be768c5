using Mesa.Client;

namespace Mesa.PowerShell.Infrastructure;

/// <summary>
/// The implicit connection a runbook gets from environment variables alone: <c>MESA_URL</c>, with
/// <c>MESA_ADMIN_TOKEN</c> and <c>MESA_PROFILE</c> (<c>v1</c> or <c>v2</c>). Used only when there is no
/// <c>-Connection</c> and no <c>Connect-Mesa</c> default. Made once per process (the variables are process-wide)
/// and kept until one of the variables changes. Making it costs no request; the first cmdlet that talks to the
/// server checks <c>/health</c> (and the admin token) once, so a wrong address is a clear error, not a slow one
/// on every cmdlet.
/// </summary>
internal static class EnvironmentConnection
{
    private static readonly object Gate = new();
    private static EnvironmentConnectionEntry? s_entry;

    /// <summary>
    /// The connection for the current variables without any request, or null when <c>MESA_URL</c> is not set or not
    /// usable (for offline defaults such as New-MesaEnvelope's profile; <see cref="Get"/> reports the problem).
    /// </summary>
    public static MesaConnection? Peek()
    {
        try
        {
            return Get()?.Connection;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The entry for the current variables; null when <c>MESA_URL</c> is not set.</summary>
    /// <exception cref="ArgumentException"><c>MESA_URL</c> or <c>MESA_PROFILE</c> holds something unusable.</exception>
    public static EnvironmentConnectionEntry? Get()
    {
        var settings = EnvironmentSettings.Read();
        if (settings is null) return null;
        lock (Gate)
        {
            if (s_entry is not null && s_entry.Settings == settings) return s_entry;
        }

        var entry = new EnvironmentConnectionEntry(settings, Create(settings));
        EnvironmentConnectionEntry first;
        lock (Gate)
        {
            if (s_entry is null || s_entry.Settings != settings)
            {
                s_entry = entry;
                return entry;
            }

            first = s_entry;
        }

        // Another runspace made one for the same variables meanwhile: keep the first, drop ours.
        entry.Connection.Dispose();
        return first;
    }

    /// <summary>Records that the entry's server answered its checks; the cached connection gets the health status.</summary>
    public static MesaConnection MarkVerified(EnvironmentConnectionEntry entry, string serverStatus)
    {
        var verified = new MesaConnection(entry.Connection.Client, DateTimeOffset.UtcNow, serverStatus);
        lock (Gate)
        {
            entry.Connection = verified;
            entry.Verified = true;
        }

        return verified;
    }

    private static MesaConnection Create(EnvironmentSettings settings)
    {
        if (!Uri.TryCreate(settings.Url.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            // Quoted only without an '@': 'admin:secret@host' (no http://) or ftp://user:secret@host holds a password.
            var shown = settings.Url.Contains('@') ? "an address with user info" : $"'{settings.Url}'";
            throw new ArgumentException(
                $"$env:MESA_URL is {shown}, which is not an http or https address. Set it to the server's address, such as http://127.0.0.1:8000, or run Connect-Mesa -Uri <server>.");
        }

        var profile = MesaProfile.V2;
        if (settings.Profile is not null && !TryParseProfile(settings.Profile, out profile))
        {
            throw new ArgumentException(
                $"$env:MESA_PROFILE is '{settings.Profile}'; it must be v1 or v2 (the signing profile the server speaks). Set it to one of them, or remove it for v2.");
        }

        // The client checks the rest of the address (userinfo, and so on) with its own messages.
        MesaClient client;
        try
        {
            client = new MesaClient(new MesaClientOptions { BaseUri = uri, Profile = profile, AdminToken = settings.Token });
        }
        catch (ArgumentException ex)
        {
            // Say which variables the refused settings came from (the message never quotes a token or password).
            var from = string.IsNullOrEmpty(settings.Token) ? "$env:MESA_URL" : "$env:MESA_URL and $env:MESA_ADMIN_TOKEN";
            throw new ArgumentException($"The connection from {from} cannot be made: {ex.Message}", ex);
        }


        return new MesaConnection(client, DateTimeOffset.UtcNow, "unchecked");
    }

    /// <summary>Reads <c>v1</c>/<c>v2</c> (any case, with or without the v).</summary>
    public static bool TryParseProfile(string text, out MesaProfile profile)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "v1" or "1":
                profile = MesaProfile.V1;
                return true;
            case "v2" or "2":
                profile = MesaProfile.V2;
                return true;
            default:
                profile = MesaProfile.V2;
                return false;
        }
    }
}
