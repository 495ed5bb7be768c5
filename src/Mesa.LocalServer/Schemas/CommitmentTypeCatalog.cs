using System.Text.Json;
using Json.Schema;
using Mesa.Client;
using Mesa.LocalServer.Hosting;
using Mesa.LocalServer.Python;

namespace Mesa.LocalServer.Schemas;

/// <summary>
/// The commitment types the server knows: the built-in packs (<c>core</c>, <c>datasharing</c>, embedded in Mesa.Client:
/// <see cref="CommitmentTypeSet"/>) plus any packs from <c>--schemas</c>. A type's name is its file name (without
/// <c>.schema.json</c> or <c>.json</c>) and must be unique across packs. Schemas are compiled once at start; validation
/// does not assert <c>format</c>. The built-in types follow the protocol generation (<see cref="CommitmentTypeSet.For"/>:
/// v1 has no <c>turn</c>); <c>--schemas</c> packs load in either.
/// </summary>
internal sealed class CommitmentTypeCatalog
{
    private static readonly EvaluationOptions FlagOptions = new() { OutputFormat = OutputFormat.Flag, RequireFormatValidation = false };
    private static readonly EvaluationOptions ListOptions = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = false };

    private readonly Dictionary<string, CommitmentType> _types;

    private CommitmentTypeCatalog(Dictionary<string, CommitmentType> types)
    {
        _types = types;
        Names = types.Keys.Order(Comparer<string>.Create(PythonText.CompareOrdinalCodePoints)).ToArray();
    }

    /// <summary>Every type name, in code point order (Python's <c>sorted()</c>).</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The loaded types.</summary>
    public IEnumerable<CommitmentType> Types => _types.Values;

    /// <summary>The generation this catalog is for.</summary>
    public MesaProfile Profile { get; private init; }

    /// <summary>The built-in type names of <paramref name="profile"/>, in code point order.</summary>
    public static IReadOnlyList<string> BuiltInNames(MesaProfile profile) =>
        CommitmentTypeSet.For(profile).Select(t => t.Name).Order(Comparer<string>.Create(PythonText.CompareOrdinalCodePoints)).ToArray();

    /// <summary>Loads the built-in packs of <paramref name="profile"/> and the packs under <paramref name="directories"/>.</summary>
    /// <exception cref="StartupException">A file is not a valid JSON Schema, or a type name is defined twice.</exception>
    public static CommitmentTypeCatalog Load(IReadOnlyList<string> directories, MesaProfile profile = MesaProfile.V2)
    {
        var types = new Dictionary<string, CommitmentType>(StringComparer.Ordinal);
        foreach (var builtIn in CommitmentTypeSet.For(profile))
        {
            Add(types, builtIn.Pack, builtIn.FileName, $"built-in {builtIn.Pack}/{builtIn.FileName}", builtIn.SchemaJson);
        }

        foreach (var directory in directories)
        {
            var root = Path.GetFullPath(directory);
            foreach (var file in Directory.EnumerateFiles(root, "*.json").Order(StringComparer.Ordinal))
            {
                Add(types, Path.GetFileName(root), Path.GetFileName(file), file, ReadFile(file));
            }

            foreach (var packDirectory in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
            {
                foreach (var file in Directory.EnumerateFiles(packDirectory, "*.json").Order(StringComparer.Ordinal))
                {
                    Add(types, Path.GetFileName(packDirectory), Path.GetFileName(file), file, ReadFile(file));
                }
            }
        }

        return new CommitmentTypeCatalog(types) { Profile = profile };
    }

    private static string TypeName(string fileName) =>
        fileName.EndsWith(".schema.json", StringComparison.OrdinalIgnoreCase) ? fileName[..^".schema.json".Length] : fileName[..^".json".Length];

    /// <summary>True when <paramref name="type"/> is a loaded type name.</summary>
    public bool Contains(string type) => _types.ContainsKey(type);

    /// <summary>Validates a payload against its type.</summary>
    /// <returns>Null when valid; otherwise a one-line message naming the first problem.</returns>
    public string? Validate(string type, JsonElement payload)
    {
        if (!_types.TryGetValue(type, out var commitmentType))
        {
            return $"unknown commitment type {PythonText.Repr(type)}; known types: {PythonText.ReprList(Names)}";
        }

        if (commitmentType.Schema.Evaluate(payload, FlagOptions).IsValid)
        {
            return null;
        }

        var results = commitmentType.Schema.Evaluate(payload, ListOptions);
        return SchemaProblemFormatter.Describe(results, payload, commitmentType.Document);
    }

    private static string ReadFile(string file)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (IOException ex)
        {
            throw new StartupException($"--schemas: cannot read '{file}': {ex.Message}", ex);
        }
    }

    private static void Add(Dictionary<string, CommitmentType> types, string pack, string fileName, string source, string text)
    {
        var name = TypeName(fileName);
        if (name.Length == 0)
        {
            throw new StartupException($"The schema file '{source}' has no type name; name the file after its type, such as offer.json.");
        }

        if (types.TryGetValue(name, out var existing))
        {
            throw new StartupException(
                $"The commitment type '{name}' is defined twice: in {existing.Source} and in {source}. " +
                "A type's name is its file name and must be unique across packs; rename or remove one of them.");
        }

        JsonElement document;
        JsonSchema schema;
        try
        {
            using (var parsed = JsonDocument.Parse(text))
            {
                document = parsed.RootElement.Clone();
            }

            if (document.ValueKind is not (JsonValueKind.Object or JsonValueKind.True or JsonValueKind.False))
            {
                throw new StartupException($"The schema file '{source}' is not a JSON Schema: its top level is a {document.ValueKind}, not an object.");
            }

            var meta = MetaSchemas.Draft202012.Evaluate(document, ListOptions);
            if (!meta.IsValid)
            {
                var problem = meta.Details?.FirstOrDefault(d => d.Errors is { Count: > 0 });
                var where = problem is null ? "" : $" at '{problem.InstanceLocation}'";
                var what = problem?.Errors?.First().Value ?? "it does not match the draft 2020-12 meta-schema";
                throw new StartupException($"The schema file '{source}' is not a valid JSON Schema (draft 2020-12){where}: {what}");
            }

            // Each type builds in its own registry, so packs may reuse $id values without clashing.
            schema = JsonSchema.Build(document, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        }
        catch (JsonException ex)
        {
            throw new StartupException($"The schema file '{source}' is not valid JSON: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is not StartupException)
        {
            throw new StartupException($"The schema file '{source}' is not a valid JSON Schema: {ex.Message}", ex);
        }

        types.Add(name, new CommitmentType(name, pack, source, schema, document));
    }
}
