namespace Mesa.PowerShell.Tests;

/// <summary>
/// $PSStyle is one instance for the whole process, not one per runspace: test classes that set
/// $PSStyle.OutputRendering, or depend on it, run one after another in this collection.
/// </summary>
[CollectionDefinition(Name)]
public sealed class OutputRenderingCollection
{
    public const string Name = "OutputRendering";
}
