namespace Mesa.LocalServer.Http;

/// <summary>
/// Turns <see cref="ApiError"/> into its JSON answer, and any other failure into FastAPI's plain
/// <c>500 Internal Server Error</c> (logged, with no internals in the body). A request whose client is gone ends quietly.
/// </summary>
internal sealed class ApiErrorMiddleware(RequestDelegate next, ILogger<ApiErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (ApiError error) when (!context.Response.HasStarted)
        {
            await JsonResponse.WriteErrorAsync(context, error);
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away (closed or reset the connection mid-body): nobody to answer, nothing to log.
        }
        catch (Exception ex) when (!context.Response.HasStarted && ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Unhandled failure on {Method} {Path}", context.Request.Method, context.Request.Path.Value);
            context.Response.Clear();
            context.Response.StatusCode = 500;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("Internal Server Error");
        }
    }
}
