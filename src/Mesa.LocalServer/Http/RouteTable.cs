using System.Text.RegularExpressions;
using Mesa.Client;
using Mesa.LocalServer.Endpoints;

namespace Mesa.LocalServer.Http;

/// <summary>
/// The paths this server serves (the routes of <see cref="MesaRoutes"/> it maps, grouped by template), matched as
/// Starlette matches them (case-sensitive, <c>{param}</c> is one non-empty segment, no trailing slash). ASP.NET routing is looser (case-insensitive, trailing slash tolerated), so
/// <see cref="UpstreamRoutingMiddleware"/> consults this table first.
/// </summary>
internal sealed class RouteTable
{
    private readonly IReadOnlyList<RouteEntry> _entries;

    public RouteTable(MesaProfile protocol)
    {
        // One entry per template, its methods in the list's order (the order of the Allow header of a 405).
        _entries = EndpointMap.Served(protocol)
            .GroupBy(r => r.Template, StringComparer.Ordinal)
            .Select(g => new RouteEntry(g.Key, ToRegex(g.Key), g.Select(r => r.Method).ToArray()))
            .ToArray();
    }

    /// <summary>Every route (template and methods).</summary>
    public IReadOnlyList<RouteEntry> Entries => _entries;

    /// <summary>The entry whose template matches <paramref name="path"/> exactly, or null.</summary>
    public RouteEntry? Match(string path) => _entries.FirstOrDefault(e => e.Pattern.IsMatch(path));

    private static Regex ToRegex(string template) =>
        new("^" + Regex.Replace(Regex.Escape(template), @"\\\{[a-z_]+}", "[^/]+") + "$", RegexOptions.CultureInvariant | RegexOptions.Compiled);
}
