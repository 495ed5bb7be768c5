using System.Net;
using System.Security;

namespace Mesa.PowerShell.Infrastructure;

/// <summary>Reads a SecureString only at the moment a secret must go on the wire or into a key.</summary>
internal static class SecureStrings
{
    public static string? Reveal(SecureString? secure) =>
        secure is null || secure.Length == 0 ? null : new NetworkCredential(string.Empty, secure).Password;

    public static SecureString Protect(string plain)
    {
        var secure = new SecureString();
        foreach (var c in plain) secure.AppendChar(c);
        secure.MakeReadOnly();
        return secure;
    }
}
