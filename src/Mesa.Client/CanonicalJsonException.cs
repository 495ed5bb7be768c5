namespace Mesa.Client;

/// <summary>
/// A value cannot be written as mesa canonical JSON (NaN/Infinity, a lone surrogate, an unsupported
/// type, a reference cycle, nesting too deep, or unparsable JSON text). <see cref="JsonPath"/> names the culprit.
/// </summary>
public sealed class CanonicalJsonException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public CanonicalJsonException(string jsonPath, string problem, Exception? innerException = null)
        : base($"Cannot make canonical JSON at '{jsonPath}': {problem}", innerException)
    {
        JsonPath = jsonPath;
        Problem = problem;
    }

    /// <summary>Where the problem is, as a dotted path such as <c>payload.terms.when</c> or <c>payload.items[2]</c>; <c>$</c> is the root.</summary>
    public string JsonPath { get; }

    /// <summary>What is wrong, without the path.</summary>
    public string Problem { get; }
}
