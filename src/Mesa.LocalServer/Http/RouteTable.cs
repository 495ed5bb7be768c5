using System.Text.RegularExpressions;
using Mesa.Client;

namespace Mesa.LocalServer.Http;

/// <summary>
/// The paths this server serves, matched as Starlette matches them (case-sensitive, <c>{param}</c> is one non-empty
/// segment, no trailing slash). ASP.NET routing is looser (case-insensitive, trailing slash tolerated), so
/// <see cref="UpstreamRoutingMiddleware"/> consults this table first.
/// </summary>
internal sealed class RouteTable
{
    private readonly IReadOnlyList<RouteEntry> _entries;

    public RouteTable(MesaProfile protocol)
    {
        var routes = new List<(string, string[])>
        {
            ("/health", new[] { "GET" }),
            ("/principals", new[] { "GET", "POST" }),
            ("/principals/{id}", new[] { "GET" }),
            ("/principals/{id}/capabilities", new[] { "PUT" }),
            ("/commitments", new[] { "POST" }),
            ("/_local/policies", new[] { "GET", "POST" }),
            ("/_local/policies/{id}", new[] { "DELETE" }),
        };
        if (protocol == MesaProfile.V2)
        {
            routes.Add(("/deliberations", new[] { "GET", "POST" }));
            routes.Add(("/deliberations/{id}", new[] { "GET", "PATCH" }));
            routes.Add(("/deliberations/{id}/turns", new[] { "POST" }));
        }

        _entries = routes.Select(r => new RouteEntry(r.Item1, ToRegex(r.Item1), r.Item2)).ToArray();
    }

    /// <summary>Every route (template and methods).</summary>
    public IReadOnlyList<RouteEntry> Entries => _entries;

    /// <summary>The entry whose template matches <paramref name="path"/> exactly, or null.</summary>
    public RouteEntry? Match(string path) => _entries.FirstOrDefault(e => e.Pattern.IsMatch(path));

    private static Regex ToRegex(string template) =>
        new("^" + Regex.Replace(Regex.Escape(template), @"\\\{[a-z_]+}", "[^/]+") + "$", RegexOptions.CultureInvariant | RegexOptions.Compiled);
}
