using System.Management.Automation;

namespace Mesa.PowerShell.Infrastructure;

/// <summary>Turns a PowerShell path (relative to the current location, <c>~</c>, a PSDrive) into a file system path.</summary>
internal static class FileSystemPaths
{
    /// <summary>The file system path for <paramref name="path"/>; the file need not exist.</summary>
    /// <exception cref="ArgumentException">The path is not on the file system, or cannot be resolved.</exception>
    public static string Resolve(SessionState sessionState, string path)
    {
        string resolved;
        ProviderInfo provider;
        try
        {
            resolved = sessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _);
        }
        catch (Exception ex) when (ex is ProviderNotFoundException or System.Management.Automation.DriveNotFoundException or NotSupportedException or PSArgumentException)
        {
            throw new ArgumentException($"Cannot resolve the path '{path}': {ex.Message} Give a file path such as ./mesa.key.", ex);
        }

        if (provider.Name != "FileSystem")
        {
            throw new ArgumentException($"The path '{path}' is on the {provider.Name} provider, not the file system; give a file path such as ./mesa.key.");
        }

        return resolved;
    }
}
