using System.Collections;
using System.Collections.Specialized;
using System.Management.Automation;
using Mesa.Client;

namespace Mesa.PowerShell.Infrastructure;

/// <summary>
/// Unwraps PowerShell values (PSObject, PSCustomObject, hashtables, arrays) into plain .NET values the core's
/// canonical JSON understands. Property order of a PSCustomObject is kept; canonical JSON sorts keys anyway.
/// </summary>
internal static class PSValueConverter
{
    /// <summary>The plain value; a reference cycle or a non-string dictionary key is refused with the JSON path.</summary>
    /// <exception cref="CanonicalJsonException">The value refers back to one of its own containers.</exception>
    /// <exception cref="ArgumentException">A dictionary has a key that is not a string.</exception>
    public static object? ToPlain(object? value) => new Walker().ToPlain(value, 0);

    private sealed class Walker
    {
        // Containers on the current path. A PSCustomObject is tracked by its PSObject: every PSCustomObject shares
        // one base object, so the base says nothing about identity.
        private readonly HashSet<object> _open = new(ReferenceEqualityComparer.Instance);
        private readonly List<string> _path = ["$"];

        public object? ToPlain(object? value, int depth)
        {
            // Too deep: hand the value over unconverted, and the core refuses it with its own depth message.
            if (depth > CanonicalJson.MaxDepth + 1) return value;
            var identity = value is PSObject { BaseObject: PSCustomObject } ? value : value is PSObject p ? p.BaseObject : value;
            var tracked = identity is PSObject || identity is IEnumerable and not string;
            if (tracked && !_open.Add(identity!))
            {
                throw new CanonicalJsonException(string.Concat(_path), "the value refers back to one of its own containers (a reference cycle).");
            }

            try
            {
                return Convert(value, depth);
            }
            finally
            {
                if (tracked) _open.Remove(identity!);
            }
        }

        private object? Convert(object? value, int depth)
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
                            map[property.Name] = Child("." + property.Name, property.Value, depth);
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
                        if (key is not string name)
                        {
                            throw new ArgumentException(
                                $"Dictionary keys must be strings; found a key of type '{key?.GetType().FullName ?? "null"}' at '{string.Concat(_path)}'. Quote the key, such as @{{ '1' = ... }}.");
                        }

                        copy[name] = Child("." + name, entry.Value, depth);
                    }

                    return copy;
                case IEnumerable sequence and not byte[]:
                    var list = new List<object?>();
                    var index = 0;
                    foreach (var item in sequence)
                    {
                        list.Add(Child($"[{index++}]", item, depth));
                    }

                    return list;
                default:
                    return value;
            }
        }

        private object? Child(string segment, object? value, int depth)
        {
            _path.Add(segment);
            try
            {
                return ToPlain(value, depth + 1);
            }
            finally
            {
                _path.RemoveAt(_path.Count - 1);
            }
        }
    }
}
