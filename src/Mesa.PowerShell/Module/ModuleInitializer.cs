using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace Mesa.PowerShell.Infrastructure;

/// <summary>
/// Wires dependency isolation when the module is imported: assemblies the default context cannot find, and that
/// live in the module's <c>dependencies</c> folder, are handed over from our private load context. Our own
/// assemblies (cmdlets, Mesa.Client with its models and exceptions) stay in the default context, so users can
/// name their types (<c>[Mesa.Client.MesaForbiddenException]</c>).
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly object Gate = new();
    private static DependencyLoadContext? s_context;
    private static bool s_registered;

    /// <summary>Where the module's own assemblies live.</summary>
    internal static string ModuleDirectory { get; } =
        Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? AppContext.BaseDirectory;

    /// <inheritdoc />
    public void OnImport()
    {
        lock (Gate)
        {
            s_context ??= new DependencyLoadContext(Path.Combine(ModuleDirectory, "dependencies"));
            if (!s_registered)
            {
                AssemblyLoadContext.Default.Resolving += OnResolving;
                s_registered = true;
            }
        }
    }

    /// <inheritdoc />
    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        // Local servers never outlive the module in the runspace that started them.
        var runspace = System.Management.Automation.Runspaces.Runspace.DefaultRunspace;
        if (runspace is null) LocalServer.LocalServerRegistry.StopAll();
        else LocalServer.LocalServerRegistry.StopOwnedBy(runspace.InstanceId);

        lock (Gate)
        {
            if (s_registered)
            {
                AssemblyLoadContext.Default.Resolving -= OnResolving;
                s_registered = false;
            }
        }
    }

    private static Assembly? OnResolving(AssemblyLoadContext context, AssemblyName name)
    {
        if (name.Name == "Mesa.Client")
        {
            var path = Path.Combine(ModuleDirectory, "Mesa.Client.dll");
            return File.Exists(path) ? context.LoadFromAssemblyPath(path) : null;
        }

        return s_context?.TryLoad(name);
    }
}
