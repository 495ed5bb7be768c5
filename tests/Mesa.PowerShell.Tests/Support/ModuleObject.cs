using System.Management.Automation;

namespace Mesa.PowerShell.Tests;

/// <summary>
/// Builds a core model the way the module emits it, so a test can feed one to a view or a pipeline without a server:
/// the format views and the by-property binding select on the module's PSTypeName, not on the .NET type.
/// </summary>
internal static class ModuleObject
{
    /// <summary>
    /// Wraps <paramref name="model"/> with <paramref name="typeName"/> (e.g. "Mesa.Commitment") as its first type name.
    /// Added once only: PowerShell remembers type names per wrapped instance, so wrapping the same model again must not
    /// stack a second copy.
    /// </summary>
    public static PSObject Wrap(object model, string typeName)
    {
        var pso = PSObject.AsPSObject(model);
        if (!pso.TypeNames.Contains(typeName)) pso.TypeNames.Insert(0, typeName);
        return pso;
    }
}
