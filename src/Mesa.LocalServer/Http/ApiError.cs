using Mesa.LocalServer.Validation;

namespace Mesa.LocalServer.Http;

/// <summary>
/// An error answer thrown by a gate or handler: the status, the <c>detail</c>, and any extra headers.
/// <see cref="ApiErrorMiddleware"/> writes it as <c>{"detail": ...}</c>.
/// </summary>
internal sealed class ApiError : Exception
{
    private ApiError(int status, ErrorDetail detail, IReadOnlyList<KeyValuePair<string, string>>? headers = null)
        : base($"HTTP {status}: {detail.Describe()}")
    {
        Status = status;
        Detail = detail;
        Headers = headers ?? Array.Empty<KeyValuePair<string, string>>();
    }

    public int Status { get; }

    public ErrorDetail Detail { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>A plain string detail.</summary>
    public static ApiError Text(int status, string text, IReadOnlyList<KeyValuePair<string, string>>? headers = null) =>
        new(status, new TextDetail(text), headers);

    /// <summary>A structured detail with a code.</summary>
    public static ApiError Coded(int status, string code, string message, params KeyValuePair<string, string?>[] extras) =>
        new(status, new CodedDetail(code, message, extras));

    /// <summary>A 422 validation list.</summary>
    public static ApiError Validation(IReadOnlyList<ValidationProblem> problems) => new(422, new ValidationDetail(problems));

    /// <summary>A 422 validation list of one problem.</summary>
    public static ApiError Validation(ValidationProblem problem) => Validation(new[] { problem });

    /// <summary>FastAPI's answer for a path no route matches.</summary>
    public static ApiError NotFound() => Text(404, "Not Found");
}
