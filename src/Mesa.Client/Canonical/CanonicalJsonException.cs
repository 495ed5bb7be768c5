namespace Mesa.Client;

/// <summary>
/// A value cannot be written as mesa canonical JSON (NaN/Infinity, a lone surrogate, an unsupported
/// type, a reference cycle, nesting too deep, or unparsable JSON text). <see cref="JsonPath"/> names the culprit.
/// </summary>
public sealed class CanonicalJsonException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public CanonicalJsonException(string jsonPath, string problem, Exception? innerException = null)
        : base($"Cannot make canonical JSON at '{Abbreviate(jsonPath)}': {problem}", innerException)
    {
        JsonPath = jsonPath;
        Problem = problem;
    }

    /// <summary>Where the problem is, as a dotted path such as <c>payload.terms.when</c> or <c>payload.items[2]</c>; <c>$</c> is the root.</summary>
    public string JsonPath { get; }

    /// <summary>What is wrong, without the path.</summary>
    public string Problem { get; }

    // Deep paths (hundreds of "[0]") would bury the problem; the message keeps both ends, JsonPath keeps it all.
    private static string Abbreviate(string path) =>
        path.Length <= 160 ? path : string.Concat(path.AsSpan(0, 60), " ... ", path.AsSpan(path.Length - 80));
}
