using Mesa.Client;

namespace Mesa.PowerShell.Infrastructure;

/// <summary>Tab completion of deliberation ids from the connection's server; the tooltip shows the title, status and stage.</summary>
public sealed class DeliberationIdCompleter : MesaIdCompleter
{
    private protected override string Kind => "deliberations";

    private protected override async Task<IReadOnlyList<CompletionItem>> FetchAsync(MesaClient client, CancellationToken cancellationToken)
    {
        // A v1 server has no deliberations: its 404 ends up as an empty list.
        var deliberations = await client.GetDeliberationsAsync(null, cancellationToken).ConfigureAwait(false);
        return deliberations.Select(d => new CompletionItem(d.Id, d.Title, $"{d.Title} ({d.Status}, {d.Stage})")).ToList();
    }
}
