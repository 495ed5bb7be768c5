using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace Mesa.PowerShell.Tests;

/// <summary>
/// Where the repository and the built module are: the module as build.ps1 lays it out in out/Mesa. Mesa.PowerShell and
/// Mesa.Client are not copied next to the tests: they resolve from out/Mesa, so the cmdlets and the internals under test
/// are the shipped assemblies, the cmdlets find the bundled server next to them, and NSec loads through the module's own
/// load context exactly as it does in pwsh.
/// </summary>
internal static class BuiltModule
{
    private static readonly Lazy<string> Folder = new(Locate);

    /// <summary>The repository root: the nearest folder above the tests that holds Mesa.PowerShell.sln.</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>out/Mesa; fails with instructions when the module has not been built.</summary>
    public static string Directory => Folder.Value;

    /// <summary>out/Mesa/Mesa.psd1.</summary>
    public static string ManifestPath => Path.Combine(Directory, "Mesa.psd1");

    /// <summary>Registered before any test runs, so that the first use of a Mesa type already loads it from out/Mesa.</summary>
    [ModuleInitializer]
    internal static void RegisterResolver() => AssemblyLoadContext.Default.Resolving += Resolve;

    private static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name)
    {
        if (name.Name is not ("Mesa.PowerShell" or "Mesa.Client")) return ResolveDependency(name);
        var path = Path.Combine(Directory, name.Name + ".dll");
        return File.Exists(path) ? context.LoadFromAssemblyPath(path) : null;
    }

    // A third-party assembly of the module (Polly.Core, NSec) wanted before any test imported the module (a test that
    // makes a MesaClient directly): loaded as Import-Module would, through the module's private load context.
    private static Assembly? ResolveDependency(AssemblyName name)
    {
        if (name.Name is null || !Folder.IsValueCreated) return null;
        if (!File.Exists(Path.Combine(Directory, "dependencies", name.Name + ".dll"))) return null;
        InitializeModule();
        return AssemblyLoadContext.All.FirstOrDefault(c => c.Name == "Mesa.Dependencies")?.LoadFromAssemblyName(name);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void InitializeModule() => new Mesa.PowerShell.Infrastructure.ModuleInitializer().OnImport();

    private static string Locate()
    {
        var folder = Path.Combine(RepoRoot, "out", "Mesa");
        if (!File.Exists(Path.Combine(folder, "Mesa.psd1")) || !File.Exists(Path.Combine(folder, "Mesa.PowerShell.dll")))
        {
            throw new InvalidOperationException(
                $"The built module is missing: {folder} has no Mesa.psd1 and Mesa.PowerShell.dll. These tests run against the built module; " +
                $"build it first with: cd {RepoRoot} && dotnet pwsh ./build.ps1 Build");
        }

        return folder;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Mesa.PowerShell.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException($"No Mesa.PowerShell.sln found above {AppContext.BaseDirectory}; run the tests from inside the repository.");
    }
}
