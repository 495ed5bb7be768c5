using System.Management.Automation;
using Mesa.Client;

namespace Mesa.PowerShell.Infrastructure;

/// <summary>
/// Lets a timestamp parameter take a <see cref="DateTime"/> or <see cref="DateTimeOffset"/> (ConvertFrom-Json and
/// Get-Date produce them) and writes it as the reference SDK does (<c>2026-05-08T00:00:00.000000Z</c>), instead of
/// PowerShell's culture-dependent string conversion. Strings pass through untouched: the server never parses them.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class TimestampTransformationAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc />
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject pso ? pso.BaseObject : inputData;
        return value switch
        {
            DateTimeOffset offset => MesaEnvelope.FormatTimestamp(offset),
            // An unspecified kind is taken as UTC, as canonical JSON does for DateTime values.
            DateTime { Kind: DateTimeKind.Local } local => MesaEnvelope.FormatTimestamp(new DateTimeOffset(local)),
            DateTime other => MesaEnvelope.FormatTimestamp(new DateTimeOffset(DateTime.SpecifyKind(other, DateTimeKind.Utc))),
            _ => inputData,
        };
    }
}
