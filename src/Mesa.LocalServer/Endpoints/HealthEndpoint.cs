using Mesa.LocalServer.Http;

namespace Mesa.LocalServer.Endpoints;

/// <summary><c>GET /health</c>.</summary>
internal static class HealthEndpoint
{
    public static Task GetAsync(HttpContext context) =>
        JsonResponse.WriteAsync(context, 200, 0, static (w, _) =>
        {
            w.WriteStartObject();
            w.WriteString("status", "ok");
            w.WriteEndObject();
        });
}
