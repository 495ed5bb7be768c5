using System.Management.Automation;
using Mesa.Client;

namespace Mesa.PowerShell.Infrastructure;

/// <summary>
/// Lets a deliberation id parameter take an object as well as an id: anything that names its deliberation in a
/// <c>DeliberationId</c> property (a turn, a commitment, an envelope) gives that, and a deliberation object (from
/// New-/Get-MesaDeliberation) gives its <c>Id</c>. So <c>$turn | Get-MesaDeliberation</c> gets the turn's
/// deliberation, not a deliberation named after the turn's own id. Anything else passes through to normal binding.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class DeliberationIdTransformationAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc />
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        if (inputData is object[] many)
        {
            // -Id $turn1, $turn2 (a string[] parameter) arrives as one array.
            return many.Select(item => Transform(engineIntrinsics, item)).ToArray();
        }

        var value = inputData is PSObject pso ? pso.BaseObject : inputData;
        if (value is null or string or ValueType) return inputData;
        if (value is MesaDeliberation deliberation)
        {
            return deliberation.Id;
        }

        // The object's own DeliberationId wins over its Id: that Id names the turn or commitment, not the deliberation.
        var shaped = PSObject.AsPSObject(inputData!);
        if (shaped.Properties["DeliberationId"]?.Value is string named && named.Length > 0)
        {
            return named;
        }

        // A deliberation that went through serialisation (a job, remoting) keeps its type name and Id.
        if (shaped.TypeNames.Any(n => n is TypeNames.Deliberation or TypeNames.DeliberationDetail
                || n.EndsWith("Mesa.Client.MesaDeliberation", StringComparison.Ordinal)
                || n.EndsWith("Mesa.Client.MesaDeliberationDetail", StringComparison.Ordinal))
            && shaped.Properties["Id"]?.Value is string id)
        {
            return id;
        }

        return inputData;
    }
}
