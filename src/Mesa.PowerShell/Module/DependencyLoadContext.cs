using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace Mesa.PowerShell.Infrastructure;

/// <summary>
/// A private load context for the module's third-party assemblies (NSec) and libsodium, loaded from the
/// module's <c>dependencies</c> folder. Another module's NSec, or the older libsodium the OS may have, can
/// then never be picked up by mistake, and ours never clashes with theirs.
/// </summary>
internal sealed class DependencyLoadContext : AssemblyLoadContext
{
    private readonly string _directory;

    public DependencyLoadContext(string directory)
        : base("Mesa.Dependencies", isCollectible: false)
    {
        _directory = directory;
    }

    /// <summary>The folder the dependencies are loaded from.</summary>
    public string Directory => _directory;

    /// <summary>Loads an assembly that lives in the dependencies folder; null for anything else.</summary>
    public Assembly? TryLoad(AssemblyName name)
    {
        var path = Path.Combine(_directory, name.Name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }

    // Null means "not ours": everything outside the folder resolves as usual (framework, PowerShell).
    protected override Assembly? Load(AssemblyName assemblyName) => TryLoad(assemblyName);

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        foreach (var candidate in NativeCandidates(unmanagedDllName))
        {
            if (File.Exists(candidate))
            {
                return LoadUnmanagedDllFromPath(candidate);
            }
        }

        return IntPtr.Zero;
    }

    private IEnumerable<string> NativeCandidates(string name)
    {
        var fileName = FileNameFor(name);
        var runtimes = Path.Combine(_directory, "runtimes");
        foreach (var rid in RuntimeIds())
        {
            yield return Path.Combine(runtimes, rid, "native", fileName);
        }

        yield return Path.Combine(_directory, fileName);
    }

    private static string FileNameFor(string name)
    {
        if (Path.HasExtension(name) && !name.EndsWith(".1", StringComparison.Ordinal))
        {
            return name;
        }

        if (OperatingSystem.IsWindows()) return name + ".dll";
        if (OperatingSystem.IsMacOS()) return name + ".dylib";
        return name + ".so";
    }

    private static IEnumerable<string> RuntimeIds()
    {
        var arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        if (OperatingSystem.IsWindows())
        {
            yield return "win-" + arch;
        }
        else if (OperatingSystem.IsMacOS())
        {
            yield return "osx-" + arch;
        }
        else
        {
            if (IsMusl()) yield return "linux-musl-" + arch;
            yield return "linux-" + arch;
        }
    }

    private static bool IsMusl() =>
        System.IO.Directory.Exists("/lib") && System.IO.Directory.EnumerateFiles("/lib", "ld-musl-*").Any();
}
