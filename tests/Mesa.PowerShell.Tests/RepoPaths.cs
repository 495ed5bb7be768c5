using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace Mesa.PowerShell.Tests;

/// <summary>
/// Where the repository and the built module are (found by walking up to Mesa.PowerShell.sln). Mesa.PowerShell and
/// Mesa.Client are not copied next to the tests; they resolve from out/Mesa, so the tests run the shipped assemblies
/// and the cmdlets find the bundled server next to them.
/// </summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The built module's folder (./build.ps1 Build makes it).</summary>
    public static string ModuleDirectory => Path.Combine(Root, "out", "Mesa");

    /// <summary>The built module's manifest.</summary>
    public static string ModuleManifest => Path.Combine(ModuleDirectory, "Mesa.psd1");

    [ModuleInitializer]
    internal static void ResolveFromBuiltModule() => AssemblyLoadContext.Default.Resolving += (context, name) =>
    {
        if (name.Name is not ("Mesa.PowerShell" or "Mesa.Client")) return null;
        var path = Path.Combine(ModuleDirectory, name.Name + ".dll");
        return File.Exists(path) ? context.LoadFromAssemblyPath(path) : null;
    };

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Mesa.PowerShell.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException($"No Mesa.PowerShell.sln above {AppContext.BaseDirectory}.");
    }
}
