using System.Collections.Concurrent;
using System.Reflection;

namespace Mesa.Client;

/// <summary>
/// Lets canonical JSON read dictionaries that only implement the generic interfaces (<c>IDictionary&lt;string, T&gt;</c>,
/// <c>IReadOnlyDictionary&lt;string, T&gt;</c>, such as <c>ExpandoObject</c> or immutable dictionaries). The per-type
/// inspection is cached; types that also implement the non-generic <c>IDictionary</c> never get here.
/// </summary>
internal static class GenericDictionaryAdapter
{
    private static readonly ConcurrentDictionary<Type, (Type? KeyType, Func<object, IEnumerable<KeyValuePair<string, object?>>>? Entries)> Shapes = new();

    private static readonly MethodInfo AdaptMethod =
        typeof(GenericDictionaryAdapter).GetMethod(nameof(Adapt), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>
    /// True when <paramref name="value"/> is a generic dictionary. <paramref name="entries"/> is null when its keys are not
    /// strings; <paramref name="keyType"/> then says what they are.
    /// </summary>
    public static bool TryGet(object value, out IEnumerable<KeyValuePair<string, object?>>? entries, out Type? keyType)
    {
        var shape = Shapes.GetOrAdd(value.GetType(), Inspect);
        keyType = shape.KeyType;
        entries = shape.Entries?.Invoke(value);
        return keyType is not null;
    }

    private static (Type?, Func<object, IEnumerable<KeyValuePair<string, object?>>>?) Inspect(Type type)
    {
        Type? found = null;
        foreach (var candidate in type.GetInterfaces())
        {
            if (!candidate.IsGenericType) continue;
            var definition = candidate.GetGenericTypeDefinition();
            if (definition != typeof(IDictionary<,>) && definition != typeof(IReadOnlyDictionary<,>)) continue;
            found = candidate;
            if (candidate.GetGenericArguments()[0] == typeof(string)) break;
        }

        if (found is null) return (null, null);
        var args = found.GetGenericArguments();
        if (args[0] != typeof(string)) return (args[0], null);
        var adapt = AdaptMethod.MakeGenericMethod(args[1]).CreateDelegate<Func<object, IEnumerable<KeyValuePair<string, object?>>>>();
        return (typeof(string), adapt);
    }

    private static IEnumerable<KeyValuePair<string, object?>> Adapt<TValue>(object dictionary)
    {
        foreach (var pair in (IEnumerable<KeyValuePair<string, TValue>>)dictionary)
        {
            yield return new KeyValuePair<string, object?>(pair.Key, pair.Value);
        }
    }
}
