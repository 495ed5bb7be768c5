namespace Mesa.LocalServer.Validation;

/// <summary>
/// A string echoed in a validation problem exactly as the client escaped it (such as an object key holding a lone
/// surrogate, which cannot be written as UTF-8): <see cref="Json"/> is the JSON string token, quotes included.
/// </summary>
internal sealed record RawJsonString(string Json)
{
    public override string ToString() => Json;
}
