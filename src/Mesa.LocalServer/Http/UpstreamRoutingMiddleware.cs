namespace Mesa.LocalServer.Http;

/// <summary>
/// Answers what FastAPI/Starlette answer before a handler runs: an unknown path is 404 <c>{"detail":"Not Found"}</c>
/// (after a 307 to the path without its trailing slash when that one exists), a known path with another method is 405
/// <c>{"detail":"Method Not Allowed"}</c> with an <c>Allow</c> header.
/// </summary>
internal sealed class UpstreamRoutingMiddleware(RequestDelegate next, RouteTable routes)
{
    public Task InvokeAsync(HttpContext context)
    {
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
}
