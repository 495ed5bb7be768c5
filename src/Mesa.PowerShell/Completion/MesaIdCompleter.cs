using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using Mesa.Client;

namespace Mesa.PowerShell.Infrastructure;

/// <summary>
/// Base of the completers of server ids: asks the connection on the command line (<c>-Connection $c</c>) or the
/// current default, within a bounded time and briefly cached (<see cref="IdCompletionCache"/>). No connection, or a
/// server that does not answer: nothing is offered, and no error.
/// </summary>
public abstract class MesaIdCompleter : IArgumentCompleter
{
    private protected abstract string Kind { get; }

    private protected abstract Task<IReadOnlyList<CompletionItem>> FetchAsync(MesaClient client, CancellationToken cancellationToken);

    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        MesaConnection? connection;
        try
        {
            var given = fakeBoundParameters?["Connection"];
            connection = (given is PSObject pso ? pso.BaseObject : given) as MesaConnection ?? ConnectionStore.Get();
        }
        catch (InvalidOperationException)
        {
            connection = null;
        }

        if (connection is null) return [];
        var prefix = (wordToComplete ?? "").Trim('\'', '"');
        var items = IdCompletionCache.Get(connection.Client, Kind, FetchAsync);

        // Ids that start with the word first, then those whose org or title does (Tab on "acme" finds acme's ids).
        return items.Where(i => i.Id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Concat(items.Where(i => !i.Id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
                && i.Label.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
            .Select(i => new CompletionResult(Quote(i.Id), i.Id, CompletionResultType.ParameterValue, i.ToolTip))
            .ToList();
    }

    // Server ids are hex or slugs; anything else is quoted so the completed line still parses.
    private static string Quote(string id) =>
        id.Length > 0 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') ? id : "'" + id.Replace("'", "''") + "'";
}
