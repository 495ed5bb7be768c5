using System.Management.Automation;
using Mesa.Client;

namespace Mesa.PowerShell.Infrastructure;

/// <summary>
/// Lets a deliberation id parameter take a deliberation object (from New-/Get-MesaDeliberation) as well as its id,
/// so <c>$deliberation | New-MesaEnvelope ...</c> works. Anything else passes through to normal binding.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class DeliberationIdTransformationAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc />
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject pso ? pso.BaseObject : inputData;
        if (value is MesaDeliberation deliberation)
        {
            return deliberation.Id;
        }

        // A deliberation that went through serialisation (a job, remoting) keeps its type name and Id.
        if (inputData is PSObject shaped
            && shaped.TypeNames.Any(n => n is TypeNames.Deliberation or TypeNames.DeliberationDetail
                || n.EndsWith("Mesa.Client.MesaDeliberation", StringComparison.Ordinal)
                || n.EndsWith("Mesa.Client.MesaDeliberationDetail", StringComparison.Ordinal))
            && shaped.Properties["Id"]?.Value is string id)
        {
            return id;
        }

        return inputData;
    }
}
