using Mesa.Client;

namespace Mesa.PowerShell.Infrastructure;

/// <summary>Tab completion of principal ids from the connection's server; the tooltip shows the org and capabilities.</summary>
public sealed class PrincipalIdCompleter : MesaIdCompleter
{
    private protected override string Kind => "principals";

    private protected override async Task<IReadOnlyList<CompletionItem>> FetchAsync(MesaClient client, CancellationToken cancellationToken)
    {
        var principals = await client.GetPrincipalsAsync(cancellationToken).ConfigureAwait(false);
        return principals.Select(p => new CompletionItem(
            p.Id, p.Org, p.Capabilities.Count == 0 ? p.Org : $"{p.Org} ({string.Join(", ", p.Capabilities)})")).ToList();
    }
}
