namespace Mesa.Client;

/// <summary>
/// Orders strings by Unicode code point, as Python does, rather than by UTF-16 code unit
/// (they differ for characters above U+FFFF against U+E000..U+FFFF).
/// </summary>
internal sealed class CodePointComparer : IComparer<string>
{
    public static readonly CodePointComparer Instance = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;

        var common = x.AsSpan().CommonPrefixLength(y);
        if (common == x.Length || common == y.Length) return x.Length - y.Length;
        return Fix(x[common]) - Fix(y[common]);
    }

    // Surrogates (D800-DFFF) encode code points above FFFF, so they must sort after E000-FFFF.
    private static int Fix(int c) => c < 0xD800 ? c : c >= 0xE000 ? c - 0x800 : c + 0x2000;
}
