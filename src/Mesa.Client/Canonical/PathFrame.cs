namespace Mesa.Client;

/// <summary>
/// One open container while writing canonical JSON: the container itself (for cycle detection) and the member being
/// written inside it. The JSON path is only built from these when something fails, so the happy path pays nothing.
/// </summary>
internal struct PathFrame
{
    private enum SegmentKind : byte { None, Key, Index }

    private SegmentKind _kind;
    private string? _key;
    private int _index;

    public PathFrame(object? container) => Container = container;

    /// <summary>The .NET container (null for parsed JSON, which cannot hold cycles).</summary>
    public object? Container { get; }

    public void SetKey(string key)
    {
        _kind = SegmentKind.Key;
        _key = key;
    }

    public void SetIndex(int index)
    {
        _kind = SegmentKind.Index;
        _index = index;
    }

    /// <summary>The JSON path of the open frames under <paramref name="root"/>: <c>payload.terms[2]</c>, or <c>terms[2]</c> when the root is <c>$</c>.</summary>
    public static string Format(ReadOnlySpan<PathFrame> frames, string root)
    {
        var path = new System.Text.StringBuilder();
        foreach (var frame in frames) frame.AppendTo(path);
        if (root == "$") return path.Length == 0 ? "$" : path.ToString();
        return path.Length == 0 || path[0] == '[' ? root + path : root + "." + path;
    }

    /// <summary>Appends this frame's segment: <c>.key</c>, <c>["odd key"]</c> or <c>[index]</c>.</summary>
    public readonly void AppendTo(System.Text.StringBuilder path)
    {
        switch (_kind)
        {
            case SegmentKind.Index:
                path.Append('[').Append(_index.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(']');
                break;
            case SegmentKind.Key:
                AppendKey(path, _key!);
                break;
        }
    }

    private static void AppendKey(System.Text.StringBuilder path, string key)
    {
        if (IsPlain(key))
        {
            if (path.Length > 0) path.Append('.');
            path.Append(key);
            return;
        }

        path.Append("[\"");
        foreach (var c in key)
        {
            if (c is '"' or '\\') path.Append('\\').Append(c);
            else if (c < 0x20) path.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            else path.Append(c);
        }

        path.Append("\"]");
    }

    // Keys that read unambiguously after a dot; anything else is bracketed and quoted.
    private static bool IsPlain(string key)
    {
        if (key.Length == 0) return false;
        foreach (var c in key)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '-' or '$')) return false;
        }

        return true;
    }
}
