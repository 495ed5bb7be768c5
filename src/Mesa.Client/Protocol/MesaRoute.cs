namespace Mesa.Client;

/// <summary>
/// One route of the wire contract (protocol section 4, or the local server's extension): its method, its path
/// template, the profiles whose servers have it, and whether it sits behind the admin token. The list of all of them
/// is <see cref="MesaRoutes.All"/>; the client builds its requests from it and the local server maps its endpoints from it.
/// </summary>
public sealed class MesaRoute
{
    private readonly string[] _segments;

    internal MesaRoute(string method, string template, bool takesAdminToken, bool localOnly, params MesaProfile[] profiles)
    {
        Method = method;
        Template = template;
        TakesAdminToken = takesAdminToken;
        LocalOnly = localOnly;
        Profiles = profiles;
        _segments = template.TrimStart('/').Split('/');
    }

    /// <summary>The HTTP method, upper case (<c>GET</c>, <c>POST</c>, ...).</summary>
    public string Method { get; }

    /// <summary>The path template, from the root, such as <c>/principals/{id}/capabilities</c>; <c>{name}</c> is one non-empty segment.</summary>
    public string Template { get; }

    /// <summary>The profiles (server generations) whose servers have this route.</summary>
    public IReadOnlyList<MesaProfile> Profiles { get; }

    /// <summary>True when the server answers this route only with the right <c>X-Admin-Token</c> header.</summary>
    public bool TakesAdminToken { get; }

    /// <summary>
    /// True for the local server's own extension (<c>/_local/...</c>), which no upstream server has. A client does not
    /// send its configured admin token there by itself: it cannot know that the server is a local one.
    /// </summary>
    public bool LocalOnly { get; }

    /// <summary>True when a server of <paramref name="profile"/> has this route.</summary>
    public bool IsIn(MesaProfile profile) => Profiles.Contains(profile);

    /// <summary>The template's parameter names in order (<c>id</c> for <c>/principals/{id}</c>).</summary>
    public IEnumerable<string> Parameters => _segments.Where(IsParameter).Select(s => s[1..^1]);

    /// <summary>
    /// The path relative to a base URI (no leading <c>/</c>), each parameter replaced by the next of
    /// <paramref name="values"/>, escaped into one segment.
    /// </summary>
    /// <exception cref="ArgumentException">The number of values is not the number of parameters.</exception>
    public string RelativePath(params string[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var count = _segments.Count(IsParameter);
        if (values.Length != count)
        {
            throw new ArgumentException($"{this} takes {count} path value(s); got {values.Length}.", nameof(values));
        }

        var next = 0;
        return string.Join('/', _segments.Select(s => IsParameter(s) ? Uri.EscapeDataString(values[next++]) : s));
    }

    /// <summary>
    /// True when <paramref name="method"/> and <paramref name="relativePath"/> (relative to the base URI, with or
    /// without a leading or trailing <c>/</c>, a query or a fragment) name this route. Segments compare case-sensitively.
    /// </summary>
    public bool Matches(string method, string relativePath)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(relativePath);
        if (!string.Equals(method, Method, StringComparison.OrdinalIgnoreCase)) return false;
        var end = relativePath.IndexOfAny(['?', '#']);
        var parts = (end < 0 ? relativePath : relativePath[..end]).Trim('/').Split('/');
        if (parts.Length != _segments.Length) return false;
        for (var i = 0; i < parts.Length; i++)
        {
            var matches = IsParameter(_segments[i]) ? parts[i].Length > 0 : string.Equals(parts[i], _segments[i], StringComparison.Ordinal);
            if (!matches) return false;
        }

        return true;
    }

    /// <summary>The method and template, such as <c>PUT /principals/{id}/capabilities</c>.</summary>
    public override string ToString() => $"{Method} {Template}";

    private static bool IsParameter(string segment) => segment.Length > 2 && segment[0] == '{' && segment[^1] == '}';
}
