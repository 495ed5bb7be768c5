namespace Mesa.PowerShell.Tests;

/// <summary>Where the repository and the built module are: found by walking up to Mesa.PowerShell.sln.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The built module's manifest (./build.ps1 Build makes it).</summary>
    public static string ModuleManifest => Path.Combine(Root, "out", "Mesa", "Mesa.psd1");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Mesa.PowerShell.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException($"No Mesa.PowerShell.sln above {AppContext.BaseDirectory}.");
    }
}
