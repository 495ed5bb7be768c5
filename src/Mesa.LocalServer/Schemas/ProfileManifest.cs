using System.Text.Json;
using Mesa.Client;

namespace Mesa.LocalServer.Schemas;

/// <summary>
/// The embedded <c>Schemas/profiles.json</c>: which generations have each built-in pack and type. Read once; a
/// built-in pack or type it does not name is a build mistake and fails loudly.
/// </summary>
internal static class ProfileManifest
{
    /// <summary>The manifest's resource name (outside the <c>schemas/</c> prefix, so it is not taken for a type).</summary>
    public const string ResourceName = "schema-profiles.json";

    private static readonly Lazy<IReadOnlyDictionary<string, Pack>> Packs = new(Load);

    /// <summary>True when the built-in type <paramref name="type"/> of <paramref name="pack"/> belongs to <paramref name="profile"/>.</summary>
    /// <exception cref="InvalidOperationException">The manifest does not name the pack.</exception>
    public static bool Includes(string pack, string type, MesaProfile profile)
    {
        if (!Packs.Value.TryGetValue(pack, out var entry))
        {
            throw new InvalidOperationException($"The built-in schema pack '{pack}' is not listed in Schemas/profiles.json.");
        }

        var profiles = entry.Types.TryGetValue(type, out var own) ? own : entry.Profiles;
        return profiles.Contains(profile);
    }

    /// <summary>Parses a generation name of the manifest (<c>v1</c>, <c>v2</c>).</summary>
    public static MesaProfile ParseProfile(string name) => name switch
    {
        "v1" => MesaProfile.V1,
        "v2" => MesaProfile.V2,
        _ => throw new InvalidOperationException($"Schemas/profiles.json names an unknown generation '{name}'."),
    };

    private static IReadOnlyDictionary<string, Pack> Load()
    {
        using var stream = typeof(ProfileManifest).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        using var document = JsonDocument.Parse(stream);
        var packs = new Dictionary<string, Pack>(StringComparer.Ordinal);
        foreach (var pack in document.RootElement.GetProperty("packs").EnumerateObject())
        {
            var types = new Dictionary<string, IReadOnlySet<MesaProfile>>(StringComparer.Ordinal);
            if (pack.Value.TryGetProperty("types", out var typeList))
            {
                foreach (var type in typeList.EnumerateObject()) types[type.Name] = Profiles(type.Value);
            }

            packs[pack.Name] = new Pack(Profiles(pack.Value.GetProperty("profiles")), types);
        }

        return packs;
    }

    private static IReadOnlySet<MesaProfile> Profiles(JsonElement list) =>
        list.EnumerateArray().Select(p => ParseProfile(p.GetString()!)).ToHashSet();

    private sealed record Pack(IReadOnlySet<MesaProfile> Profiles, IReadOnlyDictionary<string, IReadOnlySet<MesaProfile>> Types);
}
