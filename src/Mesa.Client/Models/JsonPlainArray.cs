namespace Mesa.Client;

/// <summary>A JSON array as <see cref="JsonPlain"/> gives it: an ordinary list whose text is its JSON.</summary>
internal sealed class JsonPlainArray(IEnumerable<object?> items) : List<object?>(items)
{
    /// <summary>The array as canonical JSON text.</summary>
    public override string ToString() => JsonPlain.ToText(this) ?? base.ToString()!;
}
