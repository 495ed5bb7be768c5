using Microsoft.AspNetCore.Http.Features;

namespace Mesa.LocalServer.Http;

/// <summary>
/// Answers what FastAPI/Starlette answer before a handler runs: an unknown path is 404 <c>{"detail":"Not Found"}</c>
/// (after a 307 to the path without its trailing slash when that one exists), a known path with another method is 405
/// <c>{"detail":"Method Not Allowed"}</c> with an <c>Allow</c> header. A <c>.</c> or <c>..</c> path segment (also as
/// <c>%2e</c>) is the 404 too, never a redirect.
/// </summary>
internal sealed class UpstreamRoutingMiddleware(RequestDelegate next, RouteTable routes)
{
    public Task InvokeAsync(HttpContext context)
    {
        // Kestrel removes dot segments ("/principals/." becomes "/principals/", then a redirect); Starlette keeps them
        // and no route has a "." or ".." id, so the raw target decides.
        if (HasDotSegment(context.Features.Get<IHttpRequestFeature>()?.RawTarget))
        {
            throw ApiError.NotFound();
        }

        var path = context.Request.Path.HasValue ? context.Request.Path.Value! : "/";
        var entry = routes.Match(path);
        if (entry is null)
        {
            var trimmed = path.TrimEnd('/');
            if (path != "/" && trimmed.Length < path.Length && routes.Match(trimmed) is not null)
            {
                var request = context.Request;
                context.Response.StatusCode = 307;
                context.Response.Headers.Location = $"{request.Scheme}://{request.Host}{request.PathBase}{trimmed}{request.QueryString}";
                context.Response.ContentLength = 0;
                return Task.CompletedTask;
            }

            throw ApiError.NotFound();
        }

        if (!entry.Methods.Contains(context.Request.Method, StringComparer.Ordinal))
        {
            throw ApiError.Text(405, "Method Not Allowed", new[] { new KeyValuePair<string, string>("Allow", string.Join(", ", entry.Methods)) });
        }

        return next(context);
    }

    /// <summary>True when a segment of the target's path is <c>.</c> or <c>..</c>, written plainly or as <c>%2e</c> (any case).</summary>
    internal static bool HasDotSegment(string? rawTarget)
    {
        if (string.IsNullOrEmpty(rawTarget)) return false;
        var query = rawTarget.IndexOfAny(new[] { '?', '#' });
        var path = query < 0 ? rawTarget.AsSpan() : rawTarget.AsSpan(0, query);
        foreach (var range in path.Split('/'))
        {
            var segment = path[range];
            if (segment.IsEmpty || segment.Length > 6) continue;
            var decoded = segment.ToString().Replace("%2e", ".", StringComparison.OrdinalIgnoreCase);
            if (decoded is "." or "..") return true;
        }

        return false;
    }
}
