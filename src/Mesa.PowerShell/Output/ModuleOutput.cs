using System.Management.Automation;

namespace Mesa.PowerShell.Infrastructure;

/// <summary>
/// Puts the module's PSTypeName on an object it writes. The PSTypeNames (<see cref="TypeNames"/>) are for scripts and
/// pipelines (<c>[PSTypeName('Mesa.Principal')]</c>, <c>$x.PSTypeNames</c>); format views select on .NET type names,
/// except <see cref="TypeNames.DeliberationCommitment"/>, which gives a commitment summary its second view.
/// </summary>
internal static class ModuleOutput
{
    /// <summary>
    /// <paramref name="model"/> with <paramref name="typeName"/> first among its type names. Added once only: PowerShell
    /// keeps the names of a wrapped instance, so wrapping the same model again must not stack a second copy.
    /// </summary>
    public static PSObject Wrap(object model, string typeName)
    {
        var pso = PSObject.AsPSObject(model);
        if (!pso.TypeNames.Contains(typeName)) pso.TypeNames.Insert(0, typeName);
        return pso;
    }
}
