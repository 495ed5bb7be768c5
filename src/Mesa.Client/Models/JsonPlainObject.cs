namespace Mesa.Client;

/// <summary>
/// A JSON object as <see cref="JsonPlain"/> gives it: an ordinary string-keyed dictionary whose text is its JSON, so
/// that a nested object reads as JSON wherever it is shown as text (Format-List, string interpolation).
/// </summary>
internal sealed class JsonPlainObject() : Dictionary<string, object?>(StringComparer.Ordinal)
{
    /// <summary>The object as canonical JSON text.</summary>
    public override string ToString() => JsonPlain.ToText(this) ?? base.ToString()!;
}
