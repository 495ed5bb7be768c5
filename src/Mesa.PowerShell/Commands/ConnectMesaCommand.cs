using System.Collections;
using System.Management.Automation;
using System.Security;
using Mesa.Client;
using Mesa.PowerShell.Infrastructure;

namespace Mesa.PowerShell.Commands;

/// <summary>
/// Checks a mesa server's <c>/health</c> and makes it this session's default connection. A failed check leaves
/// the previous default in place.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "Mesa")]
[OutputType(typeof(MesaConnection))]
public sealed class ConnectMesaCommand : MesaCmdlet
{
    /// <summary>The server, such as http://127.0.0.1:8000; falls back to $env:MESA_URL.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    public Uri? Uri { get; set; }

    /// <summary>The admin token for Set-MesaCapability; falls back to $env:MESA_ADMIN_TOKEN.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SecureString? AdminToken { get; set; }

    /// <summary>The signing profile the server speaks; falls back to $env:MESA_PROFILE, else v2.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public MesaProfile Profile { get; set; } = MesaProfile.V2;

    /// <summary>Per-request timeout in seconds.</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int TimeoutSec { get; set; } = 30;

    /// <summary>
    /// How often a request is retried when it provably was not processed (connection refused, 429/502/503/504): the
    /// connection's default, 0 to 100 (default 0, as Invoke-RestMethod).
    /// </summary>
    [Parameter]
    [ValidateRange(0, MesaRetryOptions.MaxRetryCount)]
    public int MaximumRetryCount { get; set; }

    /// <summary>The first wait between retries in seconds (1 to 3600, default 5); later waits grow, with jitter.</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int RetryIntervalSec { get; set; } = 5;

    /// <summary>Extra headers sent with every request.</summary>
    [Parameter]
    public IDictionary? Header { get; set; }

    /// <summary>Also writes the connection to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var uri = Uri;
        if (uri is null)
        {
            var fromEnv = Environment.GetEnvironmentVariable(MesaEnvironmentVariables.Url);
            if (string.IsNullOrWhiteSpace(fromEnv))
            {
                ThrowTerminatingError(ErrorIds.NoUriError());
            }

            if (!System.Uri.TryCreate(fromEnv!.Trim(), UriKind.Absolute, out uri))
            {
                // Not quoted: it may hold a password (user:password@host without the scheme).
                ThrowError(
                    new ArgumentException("$env:MESA_URL is set but is not an absolute address. Set it to the server's address, such as http://127.0.0.1:8000, or pass -Uri."),
                    null);
            }
        }

        if (!uri!.IsAbsoluteUri)
        {
            // A relative URI has no user info to check (and would throw on reading it); the client names the fix.
            ThrowError(
                new ArgumentException("The URI must be an absolute http or https address, such as http://127.0.0.1:8000; got a relative one. Give the scheme and host."),
                null);
        }

        // Another scheme with user info (ftp://user:pw@host) gets the client's message, which names both problems.
        if (!string.IsNullOrEmpty(uri.UserInfo) && (uri.Scheme == System.Uri.UriSchemeHttp || uri.Scheme == System.Uri.UriSchemeHttps))
        {
            // Neither the message nor the error's target may carry the password.
            var safe = new UriBuilder(uri) { UserName = "", Password = "" }.Uri;
            ThrowTerminatingError(ErrorIds.UserInfoInUriError(uri.Scheme, uri.Host, safe));
        }

        var options = new MesaClientOptions
        {
            BaseUri = uri,
            Timeout = TimeSpan.FromSeconds(TimeoutSec),
            Profile = Profile,
            Retry = new MesaRetryOptions(MaximumRetryCount, TimeSpan.FromSeconds(RetryIntervalSec)),
            AdminToken = SecureStrings.Reveal(AdminToken) ?? NullIfEmpty(Environment.GetEnvironmentVariable(MesaEnvironmentVariables.AdminToken)),
        };
        if (Header is not null)
        {
            foreach (DictionaryEntry entry in Header)
            {
                options.Headers[entry.Key.ToString()!] = LanguagePrimitives.ConvertTo<string>(entry.Value);
            }
        }

        options.Profile = ProfileInEffect();

        MesaClient client;
        try
        {
            client = new MesaClient(options);
        }
        catch (ArgumentException ex)
        {
            // 'admin:pw@host' without http:// parses as the scheme 'admin': not a target to show.
            ThrowError(ex, uri.Scheme == System.Uri.UriSchemeHttp || uri.Scheme == System.Uri.UriSchemeHttps ? uri : null);
            return;
        }

        MesaHealth health;
        try
        {
            health = Await(client.GetHealthAsync);
        }
        catch (MesaException ex)
        {
            client.Dispose();
            ThrowError(ex, uri);
            return;
        }
        catch
        {
            client.Dispose();
            throw;
        }

        if (client.HasAdminToken)
        {
            // A wrong token fails here, before anything is registered with it; the previous default stays.
            CheckAdminToken(client, AdminToken is null ? "from $env:MESA_ADMIN_TOKEN" : "given to -AdminToken", client.Dispose);
        }

        var connection = new MesaConnection(client, DateTimeOffset.UtcNow, health.Status);
        ConnectionStore.Set(connection);
        WriteVerbose($"Connected to {connection.Uri} ({connection.Profile}); it is now this session's default connection.");
        if (PassThru)
        {
            WriteObject(Wrap(connection, TypeNames.Connection));
        }
    }

    /// <summary><c>-Profile</c> when given, else <c>$env:MESA_PROFILE</c> (v1 or v2), else v2.</summary>
    private MesaProfile ProfileInEffect()
    {
        if (MyInvocation.BoundParameters.ContainsKey(nameof(Profile))) return Profile;
        var fromEnv = Environment.GetEnvironmentVariable(MesaEnvironmentVariables.Profile);
        if (string.IsNullOrWhiteSpace(fromEnv)) return Profile;
        if (!EnvironmentConnection.TryParseProfile(fromEnv, out var profile))
        {
            ThrowTerminatingError(ErrorIds.InvalidProfileError(fromEnv));
        }

        return profile;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
