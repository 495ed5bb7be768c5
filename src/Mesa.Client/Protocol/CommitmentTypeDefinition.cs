namespace Mesa.Client;

/// <summary>
/// One built-in commitment type (protocol section 6): its name (the schema's file name), its pack, the profiles whose
/// servers have it, the payload fields its schema requires and allows, and the schema itself.
/// </summary>
public sealed record CommitmentTypeDefinition
{
    /// <summary>The type name, such as <c>offer</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The pack, such as <c>core</c> or <c>datasharing</c>.</summary>
    public required string Pack { get; init; }

    /// <summary>The schema's file name inside its pack, such as <c>offer.schema.json</c>.</summary>
    public required string FileName { get; init; }

    /// <summary>The profiles (server generations) that have this type.</summary>
    public required IReadOnlySet<MesaProfile> Profiles { get; init; }

    /// <summary>The schema's <c>description</c>, if any.</summary>
    public string? Description { get; init; }

    /// <summary>The payload fields the schema requires, in the schema's order.</summary>
    public required IReadOnlyList<string> RequiredFields { get; init; }

    /// <summary>The other payload fields the schema declares, in the schema's order.</summary>
    public required IReadOnlyList<string> OptionalFields { get; init; }

    /// <summary>The JSON Schema (draft 2020-12) text.</summary>
    public required string SchemaJson { get; init; }

    /// <summary>A one-line summary for a tooltip: <c>core: summary, terms [, expires_at]</c>.</summary>
    public string Summary =>
        $"{Pack}: {string.Join(", ", RequiredFields)}" + (OptionalFields.Count == 0 ? "" : $" [, {string.Join(", ", OptionalFields)}]");

    /// <summary>The name and summary.</summary>
    public override string ToString() => $"{Name} ({Summary})";
}
