using System.Globalization;
using System.Net;

namespace Mesa.LocalServer.Hosting;

/// <summary>The one HTTP address the server listens on, from <c>--urls</c>.</summary>
public sealed record ListenAddress(IPAddress Address, int Port)
{
    /// <summary>Parses <c>http://HOST:PORT</c>; HOST is an IP address or <c>localhost</c> (taken as 127.0.0.1), PORT 0 picks a free port.</summary>
    /// <exception cref="StartupException">The text is not such a URL.</exception>
    public static ListenAddress Parse(string text)
    {
        const string Hint = "give one URL such as http://127.0.0.1:8000 (port 0 picks a free port)";
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new StartupException($"--urls needs a value; {Hint}.");
        }

        if (text.Contains(';', StringComparison.Ordinal))
        {
            throw new StartupException($"--urls '{text}' lists several URLs; the local server listens on one: {Hint}.");
        }

        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri))
        {
            throw new StartupException($"--urls '{text}' is not a URL; {Hint}.");
        }

        if (uri.Scheme != Uri.UriSchemeHttp)
        {
            throw new StartupException($"--urls '{text}' uses {uri.Scheme}; the local server speaks plain http only: {Hint}.");
        }

        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            throw new StartupException($"--urls '{text}' has a path, query or user part; {Hint}.");
        }

        // Uri fills in 80 when no port is written; ask for it explicitly so "http://127.0.0.1" is not a surprise.
        var authority = text.Trim()[(uri.Scheme.Length + 3)..].TrimEnd('/');
        if (!authority.Contains(':', StringComparison.Ordinal) || authority.EndsWith(']'))
        {
            throw new StartupException($"--urls '{text}' has no port; {Hint}.");
        }

        IPAddress address;
        if (string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = IPAddress.Loopback;
        }
        else if (!IPAddress.TryParse(uri.Host, out address!))
        {
            throw new StartupException($"--urls '{text}': the host must be an IP address or localhost, not '{uri.Host}'; {Hint}.");
        }

        return new ListenAddress(address, uri.Port);
    }

    /// <summary>The address as a URL, such as <c>http://127.0.0.1:8000</c>.</summary>
    public string ToUrl(int? actualPort = null)
    {
        var host = Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{Address}]" : Address.ToString();
        return $"http://{host}:{(actualPort ?? Port).ToString(CultureInfo.InvariantCulture)}";
    }

    /// <inheritdoc />
    public override string ToString() => ToUrl();
}
