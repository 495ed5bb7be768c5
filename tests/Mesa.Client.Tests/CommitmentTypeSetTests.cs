using System.Text.Json;

namespace Mesa.Client.Tests;

/// <summary>The built-in commitment types embedded in Mesa.Client, checked against protocol section 6.</summary>
public class CommitmentTypeSetTests
{
    // Protocol section 6, pack by pack: the one place the tests state the contract's list; every other test reads the set.
    private static readonly (string Pack, string Type, string[] Required, string[] Optional)[] Contract =
    [
        ("core", "offer", ["summary", "terms"], ["expires_at"]),
        ("core", "counter", ["supersedes", "summary", "terms"], []),
        ("core", "amendment", ["amends", "changes", "reason"], []),
        ("core", "approval", ["approves"], ["note"]),
        ("core", "signoff", ["agreed_commitments", "outcome"], []),
        ("core", "participant_joined", ["principal", "role"], []),
        ("core", "turn", ["content"], []),
        ("datasharing", "license_terms", ["dataset_id", "fee_model", "term_months"], ["renewal"]),
        ("datasharing", "scope_clause", ["included", "excluded"], []),
        ("datasharing", "opt_out_delta", ["dataset_id", "added_count", "as_of"], ["removed_count", "source"]),
        ("datasharing", "usage_restriction", ["allowed_uses"], ["redistribution", "derivative_works", "retention_days"]),
        ("datasharing", "dpa_reference", ["uri", "version", "executed_at"], ["checksum_sha256"]),
    ];

    [Fact]
    public void The_packs_hold_the_types_of_the_contract_with_their_required_and_optional_fields()
    {
        var builtIn = CommitmentTypeSet.BuiltIn;

        Assert.Equal(Contract.Select(c => (c.Pack, c.Type)).Order(), builtIn.Select(t => (t.Pack, t.Name)).Order());
        foreach (var (pack, type, required, optional) in Contract)
        {
            var definition = CommitmentTypeSet.Find(type)!;
            Assert.Equal(pack, definition.Pack);
            Assert.Equal(required, definition.RequiredFields);
            Assert.Equal(optional, definition.OptionalFields);
        }
    }

    [Fact]
    public void V1_has_every_type_but_turn_and_v2_has_all()
    {
        Assert.Equal(CommitmentTypeSet.BuiltIn, CommitmentTypeSet.For(MesaProfile.V2));
        Assert.Equal(CommitmentTypeSet.BuiltIn.Where(t => t.Name != "turn"), CommitmentTypeSet.For(MesaProfile.V1));
        Assert.Equal(11, CommitmentTypeSet.For(MesaProfile.V1).Count);
    }

    [Fact]
    public void Types_come_by_pack_then_name_and_their_schemas_are_draft_2020_12_documents()
    {
        Assert.Equal(
            ["amendment", "approval", "counter", "offer", "participant_joined", "signoff", "turn",
             "dpa_reference", "license_terms", "opt_out_delta", "scope_clause", "usage_restriction"],
            CommitmentTypeSet.BuiltIn.Select(t => t.Name));
        Assert.All(CommitmentTypeSet.BuiltIn, t =>
        {
            using var schema = JsonDocument.Parse(t.SchemaJson);
            Assert.Equal("https://json-schema.org/draft/2020-12/schema", schema.RootElement.GetProperty("$schema").GetString());
            Assert.Equal(t.Name + ".schema.json", t.FileName);
            Assert.False(string.IsNullOrWhiteSpace(t.Description));
        });
    }

    [Fact]
    public void The_summary_names_the_pack_and_the_fields_with_the_optional_ones_in_brackets()
    {
        Assert.Equal("core: summary, terms [, expires_at]", CommitmentTypeSet.Find("offer")!.Summary);
        Assert.Equal("core: content", CommitmentTypeSet.Find("turn")!.Summary);
        Assert.Null(CommitmentTypeSet.Find("Offer"));
    }
}
