using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace Mesa.PowerShell.Infrastructure;

/// <summary>Tab completion of commitment type names (for <c>-Capability</c> and <c>-Type</c>).</summary>
public sealed class CommitmentTypeCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var prefix = (wordToComplete ?? "").Trim('\'', '"');
        foreach (var (name, description) in CommitmentTypes.Known)
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                yield return new CompletionResult(name, name, CompletionResultType.ParameterValue, description);
            }
        }
    }
}
