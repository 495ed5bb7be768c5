using System.Collections;
using System.Collections.Specialized;
using System.Management.Automation;

namespace Mesa.PowerShell.Infrastructure;

/// <summary>
/// Unwraps PowerShell values (PSObject, PSCustomObject, hashtables, arrays) into plain .NET values the core's
/// canonical JSON understands. Property order of a PSCustomObject is kept; canonical JSON sorts keys anyway.
/// </summary>
internal static class PSValueConverter
{
    public static object? ToPlain(object? value) => ToPlain(value, 0, new HashSet<object>(ReferenceEqualityComparer.Instance));

    private static object? ToPlain(object? value, int depth, HashSet<object> open)
    {
        // Too deep, or a container met again on its own path (a cycle): hand the original over unconverted,
        // and the core refuses it with the JSON path of the culprit.
        if (depth > Mesa.Client.CanonicalJson.MaxDepth + 1) return value;
        var container = value is PSObject p ? p.BaseObject : value;
        if (container is IEnumerable and not string && !open.Add(container)) return container;
        try
        {
            return Convert(value, depth, open);
        }
        finally
        {
            if (container is IEnumerable and not string) open.Remove(container);
        }
    }

    private static object? Convert(object? value, int depth, HashSet<object> open)
    {

        if (value is PSObject pso)
        {
            if (pso.BaseObject is PSCustomObject)
            {
                var map = new OrderedDictionary(StringComparer.Ordinal);
                foreach (var property in pso.Properties)
                {
                    if (property.MemberType is PSMemberTypes.NoteProperty or PSMemberTypes.Property)
                    {
                        map[property.Name] = ToPlain(property.Value, depth + 1, open);
                    }
                }

                return map;
            }

            value = pso.BaseObject;
        }

        switch (value)
        {
            case null or string or ValueType:
                return value;
            case System.Text.Json.JsonElement or System.Text.Json.Nodes.JsonNode:
                return value;
            case IDictionary dictionary:
                var copy = new OrderedDictionary(StringComparer.Ordinal);
                foreach (DictionaryEntry entry in dictionary)
                {
                    var key = entry.Key is PSObject k ? k.BaseObject : entry.Key;
                    if (key is not string)
                    {
                        throw new ArgumentException(
                            $"Dictionary keys must be strings; found a key of type '{key?.GetType().FullName ?? "null"}'. Quote the key, such as @{{ '1' = ... }}.");
                    }

                    copy[key] = ToPlain(entry.Value, depth + 1, open);
                }

                return copy;
            case IEnumerable sequence and not byte[]:
                var list = new List<object?>();
                foreach (var item in sequence) list.Add(ToPlain(item, depth + 1, open));
                return list;
            default:
                return value;
        }
    }
}
