namespace Mesa.Client;

/// <summary>Readable type names for error messages (<c>System.Collections.Generic.KeyValuePair&lt;String, Object&gt;</c>, not the assembly-qualified form).</summary>
internal static class TypeDisplay
{
    public static string Name(Type type)
    {
        if (!type.IsGenericType) return type.FullName ?? type.Name;
        var name = type.GetGenericTypeDefinition().FullName ?? type.Name;
        var tick = name.IndexOf('`');
        if (tick >= 0) name = name[..tick];
        return name + "<" + string.Join(", ", type.GetGenericArguments().Select(ShortName)) + ">";
    }

    private static string ShortName(Type type)
    {
        if (!type.IsGenericType) return type.Name;
        var name = type.Name;
        var tick = name.IndexOf('`');
        if (tick >= 0) name = name[..tick];
        return name + "<" + string.Join(", ", type.GetGenericArguments().Select(ShortName)) + ">";
    }
}
