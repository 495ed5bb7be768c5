using System.Diagnostics.CodeAnalysis;

namespace Mesa.Client;

/// <summary>
/// The local server's ready line: the first line it writes to stdout, once it accepts requests, is
/// <c>Mesa local server listening on http://HOST:PORT</c> (the port it really got, also when asked for port 0).
/// The server writes it with <see cref="Format"/>; launchers read it with <see cref="TryParse"/>.
/// </summary>
public static class LocalServerReadyLine
{
    /// <summary>The text before the URL.</summary>
    public const string Prefix = "Mesa local server listening on ";

    /// <summary>The ready line for the address the server listens on, such as <c>http://127.0.0.1:41234</c>.</summary>
    public static string Format(string url)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        return Prefix + url;
    }

    /// <summary>Reads the address from a ready line; false for any other line (log noise, a partial line).</summary>
    public static bool TryParse(string? line, [NotNullWhen(true)] out Uri? uri)
    {
        uri = null;
        if (line is null || !line.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var text = line[Prefix.Length..].Trim();
        if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed)
            || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps))
        {
            return false;
        }

        uri = parsed;
        return true;
    }
}
