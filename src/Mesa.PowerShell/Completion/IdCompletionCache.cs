using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Mesa.Client;

namespace Mesa.PowerShell.Infrastructure;

/// <summary>
/// What tab completion of ids has lately fetched from each server: a list per client and kind, kept for
/// <see cref="Lifetime"/>, fetched within <see cref="Timeout"/>. A server that is down, slow or refusing gives an
/// empty list (also kept for a while, so each Tab press does not wait again); completion never throws or hangs.
/// </summary>
internal static class IdCompletionCache
{
    /// <summary>How long one fetch may take before completion gives up and offers nothing.</summary>
    public static TimeSpan Timeout { get; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a fetched list is offered before it is fetched again.</summary>
    public static TimeSpan Lifetime { get; } = TimeSpan.FromSeconds(10);

    // Keyed by the client, so a dropped connection takes its cache with it.
    private static readonly ConditionalWeakTable<MesaClient, ConcurrentDictionary<string, CachedIds>> Caches = new();

    /// <summary>The ids of <paramref name="kind"/> on the client's server, from the cache when it is fresh.</summary>
    public static IReadOnlyList<CompletionItem> Get(
        MesaClient client, string kind, Func<MesaClient, CancellationToken, Task<IReadOnlyList<CompletionItem>>> fetch)
    {
        var cache = Caches.GetValue(client, _ => new ConcurrentDictionary<string, CachedIds>(StringComparer.Ordinal));
        var now = DateTimeOffset.UtcNow;
        if (cache.TryGetValue(kind, out var cached) && now - cached.FetchedAt < Lifetime)
        {
            return cached.Items;
        }

        var items = Fetch(client, fetch);
        cache[kind] = new CachedIds(now, items);
        return items;
    }

    private static IReadOnlyList<CompletionItem> Fetch(
        MesaClient client, Func<MesaClient, CancellationToken, Task<IReadOnlyList<CompletionItem>>> fetch)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            var task = fetch(client, timeout.Token);

            // The token ends the request; the bounded wait also covers a fetch that ignored it.
            return task.Wait(Timeout + TimeSpan.FromMilliseconds(250)) ? task.Result : [];
        }
        catch (Exception ex) when (ex is AggregateException or MesaException or OperationCanceledException or ArgumentException)
        {
            return [];
        }
    }

    private sealed record CachedIds(DateTimeOffset FetchedAt, IReadOnlyList<CompletionItem> Items);
}
