using System.Text.Json;

namespace Mesa.Client;

/// <summary>
/// The built-in commitment types (protocol section 6): the schema packs embedded in this library once, with the
/// profiles that have each type (<c>Protocol/Schemas/profiles.json</c>: v1 has no <c>turn</c>). The local server loads
/// its built-in types from here, the module's tab completion offers them, the tests read them. A server may know more
/// types (a local server's <c>--schemas</c>, another deployment's packs); nothing here refuses a name it does not list.
/// </summary>
public static class CommitmentTypeSet
{
    private const string ResourcePrefix = "schemas/";

    private static readonly Lazy<IReadOnlyList<CommitmentTypeDefinition>> Definitions = new(Load);

    /// <summary>Every built-in type, by pack (in the manifest's order), then by name in code-point order.</summary>
    public static IReadOnlyList<CommitmentTypeDefinition> BuiltIn => Definitions.Value;

    /// <summary>The built-in types a server of <paramref name="profile"/> has, in the order of <see cref="BuiltIn"/>.</summary>
    public static IReadOnlyList<CommitmentTypeDefinition> For(MesaProfile profile) =>
        BuiltIn.Where(t => t.Profiles.Contains(profile)).ToArray();

    /// <summary>The built-in type named <paramref name="name"/> (case-sensitive), or null.</summary>
    public static CommitmentTypeDefinition? Find(string name) => BuiltIn.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal));

    private static IReadOnlyList<CommitmentTypeDefinition> Load()
    {
        var manifest = SchemaPackManifest.Load();
        var assembly = typeof(CommitmentTypeSet).Assembly;
        var definitions = new List<CommitmentTypeDefinition>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var parts = resource[ResourcePrefix.Length..].Split('/');
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            definitions.Add(Read(parts[0], parts[^1], reader.ReadToEnd(), manifest));
        }

        return definitions
            .OrderBy(d => IndexOf(manifest, d.Pack))
            .ThenBy(d => d.Name, CodePointComparer.Instance)
            .ToArray();
    }

    private static int IndexOf(SchemaPackManifest manifest, string pack)
    {
        var index = manifest.PackOrder.ToList().IndexOf(pack);
        return index < 0 ? int.MaxValue : index;
    }

    private static CommitmentTypeDefinition Read(string pack, string fileName, string json, SchemaPackManifest manifest)
    {
        var name = fileName[..^".schema.json".Length];
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var required = root.TryGetProperty("required", out var list) ? list.EnumerateArray().Select(e => e.GetString()!).ToArray() : [];
        var declared = root.TryGetProperty("properties", out var properties) ? properties.EnumerateObject().Select(p => p.Name).ToArray() : [];
        return new CommitmentTypeDefinition
        {
            Name = name,
            Pack = pack,
            FileName = fileName,
            Profiles = manifest.ProfilesOf(pack, name),
            Description = root.TryGetProperty("description", out var description) ? description.GetString() : null,
            RequiredFields = required,
            OptionalFields = declared.Where(p => !required.Contains(p, StringComparer.Ordinal)).ToArray(),
            SchemaJson = json,
        };
    }
}
