using System.Text.Json;

namespace Mesa.Client;

/// <summary>
/// The embedded <c>Protocol/Schemas/profiles.json</c>: which profiles have each built-in pack and type, and the packs'
/// order. A built-in pack it does not name is a build mistake and fails loudly.
/// </summary>
internal sealed class SchemaPackManifest
{
    /// <summary>The manifest's resource name (outside the <c>schemas/</c> prefix, so it is not taken for a type).</summary>
    public const string ResourceName = "schema-profiles.json";

    private readonly IReadOnlyDictionary<string, Pack> _packs;

    private SchemaPackManifest(IReadOnlyList<string> order, IReadOnlyDictionary<string, Pack> packs)
    {
        PackOrder = order;
        _packs = packs;
    }

    /// <summary>The pack names, in the manifest's order.</summary>
    public IReadOnlyList<string> PackOrder { get; }

    /// <summary>The profiles that have the built-in type <paramref name="type"/> of <paramref name="pack"/>.</summary>
    /// <exception cref="InvalidOperationException">The manifest does not name the pack.</exception>
    public IReadOnlySet<MesaProfile> ProfilesOf(string pack, string type)
    {
        if (!_packs.TryGetValue(pack, out var entry))
        {
            throw new InvalidOperationException($"The built-in schema pack '{pack}' is not listed in Protocol/Schemas/profiles.json.");
        }

        return entry.Types.TryGetValue(type, out var own) ? own : entry.Profiles;
    }

    /// <summary>Reads the manifest embedded in this library.</summary>
    public static SchemaPackManifest Load()
    {
        using var stream = typeof(SchemaPackManifest).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        using var document = JsonDocument.Parse(stream);
        var order = new List<string>();
        var packs = new Dictionary<string, Pack>(StringComparer.Ordinal);
        foreach (var pack in document.RootElement.GetProperty("packs").EnumerateObject())
        {
            var types = new Dictionary<string, IReadOnlySet<MesaProfile>>(StringComparer.Ordinal);
            if (pack.Value.TryGetProperty("types", out var typeList))
            {
                foreach (var type in typeList.EnumerateObject()) types[type.Name] = Profiles(type.Value);
            }

            order.Add(pack.Name);
            packs[pack.Name] = new Pack(Profiles(pack.Value.GetProperty("profiles")), types);
        }

        return new SchemaPackManifest(order, packs);
    }

    /// <summary>Parses a profile name of the manifest (<c>v1</c>, <c>v2</c>).</summary>
    public static MesaProfile ParseProfile(string name) => name switch
    {
        "v1" => MesaProfile.V1,
        "v2" => MesaProfile.V2,
        _ => throw new InvalidOperationException($"Protocol/Schemas/profiles.json names an unknown profile '{name}'."),
    };

    private static IReadOnlySet<MesaProfile> Profiles(JsonElement list) =>
        list.EnumerateArray().Select(p => ParseProfile(p.GetString()!)).ToHashSet();

    private sealed record Pack(IReadOnlySet<MesaProfile> Profiles, IReadOnlyDictionary<string, IReadOnlySet<MesaProfile>> Types);
}
