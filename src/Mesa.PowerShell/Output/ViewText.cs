using System.Text;

namespace Mesa.PowerShell;

/// <summary>
/// Text helpers for the module's format views (Mesa.format.ps1xml). PowerShell's table wrapping cuts values at the
/// column edge, mid-word; the views fold free text themselves so that words stay whole.
/// </summary>
public static class ViewText
{
    // After these a line may break when a token is longer than the width (paths, ids with dashes, lists).
    private const string BreakAfter = "-_/\\.,;:";

    /// <summary>
    /// Folds <paramref name="text"/> into lines of at most <paramref name="width"/> characters, breaking at spaces
    /// (the space is dropped), else after a dash, underscore, slash, dot or comma, else (a longer token) at the width.
    /// Existing line breaks are kept; trailing spaces are trimmed. Null gives an empty string.
    /// </summary>
    /// <param name="text">The text to fold.</param>
    /// <param name="width">The column width, at least 1.</param>
    public static string Fold(string? text, int width)
    {
        if (string.IsNullOrEmpty(text)) return "";
        width = Math.Max(1, width);
        var output = new StringBuilder(text.Length + 8);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (i > 0) output.Append('\n');
            FoldLine(lines[i].TrimEnd(), width, output);
        }

        return output.ToString();
    }

    private static void FoldLine(string line, int width, StringBuilder output)
    {
        var rest = line.AsSpan();
        while (rest.Length > width)
        {
            // A space at index <= width: the line ends before it and the space goes.
            var space = rest[..(width + 1)].LastIndexOf(' ');
            if (space > 0)
            {
                output.Append(rest[..space].TrimEnd()).Append('\n');
                rest = rest[(space + 1)..].TrimStart(' ');
                continue;
            }

            var cut = rest[..width].LastIndexOfAny(BreakAfter) + 1;
            if (cut <= 0) cut = width;
            output.Append(rest[..cut]).Append('\n');
            rest = rest[cut..].TrimStart(' ');
        }

        output.Append(rest);
    }
}
