using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace Mesa.PowerShell.Infrastructure;

/// <summary>
/// Tab completion of commitment type names (for <c>-Capability</c> and <c>-Type</c>): the built-in types of
/// <see cref="Mesa.Client.CommitmentTypeSet"/> for the profile in effect (a <c>-Profile</c> on the command line, else the
/// <c>-Connection</c>'s, else the current connection's, v2 without one), each with its payload fields as the tooltip
/// (<c>core: summary, terms [, expires_at]</c>). A server may know more types; nothing refuses a name not offered here.
/// </summary>
public sealed class CommitmentTypeCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var prefix = (wordToComplete ?? "").Trim('\'', '"');
        foreach (var type in Mesa.Client.CommitmentTypeSet.For(ProfileOf(fakeBoundParameters)))
        {
            if (type.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                yield return new CompletionResult(type.Name, type.Name, CompletionResultType.ParameterValue, type.Summary);
            }
        }
    }

    private static Mesa.Client.MesaProfile ProfileOf(IDictionary? bound)
    {
        var given = bound?["Profile"];
        if (given is PSObject wrapped) given = wrapped.BaseObject;
        if (given is Mesa.Client.MesaProfile profile) return profile;
        if (given is string text && Enum.TryParse<Mesa.Client.MesaProfile>(text, ignoreCase: true, out var parsed)) return parsed;
        var connection = bound?["Connection"] is PSObject c ? c.BaseObject as MesaConnection : bound?["Connection"] as MesaConnection;
        return (connection ?? ConnectionStore.Get())?.Profile ?? Mesa.Client.MesaProfile.V2;
    }
}
