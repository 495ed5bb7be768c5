using System.Management.Automation;

namespace Mesa.PowerShell.Infrastructure;

/// <summary>
/// Matching a name filter (<c>-Org</c>, <c>-Type</c>): the exact name in any case, or a wildcard pattern. A name that
/// is itself full of wildcard characters (an org called <c>acme [EU]</c>) still matches itself, and a pattern
/// PowerShell cannot read matches by exact name only instead of failing.
/// </summary>
internal static class NameMatch
{
    public static Func<string, bool> Create(string filter)
    {
        var wanted = filter.Trim();
        if (!WildcardPattern.ContainsWildcardCharacters(wanted))
        {
            return name => string.Equals(name, wanted, StringComparison.OrdinalIgnoreCase);
        }

        var pattern = new WildcardPattern(wanted, WildcardOptions.IgnoreCase);
        return name =>
        {
            if (string.Equals(name, wanted, StringComparison.OrdinalIgnoreCase)) return true;
            try
            {
                return pattern.IsMatch(name);
            }
            catch (WildcardPatternException)
            {
                return false;
            }
        };
    }
}
