using System.Text.Json;
using Mesa.LocalServer.Schemas;
using Mesa.LocalServer.Tests.Support;

namespace Mesa.LocalServer.Tests;

/// <summary>The built-in commitment types: every valid case accepted, every constraint enforced, formats not asserted.</summary>
public sealed class SchemaTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly CommitmentTypeCatalog Catalog = CommitmentTypeCatalog.Load(Array.Empty<string>());
    private readonly InProcessServer _server = fixture.Server;

    [Fact]
    public void The_catalog_compiles_every_built_in_type_of_the_protocol_set_in_its_pack()
    {
        // The contract's list itself is checked on the set (Mesa.Client.Tests CommitmentTypeSetTests).
        var builtIn = Mesa.Client.CommitmentTypeSet.For(Mesa.Client.MesaProfile.V2);
        Assert.Equal(12, builtIn.Count);
        Assert.Equal(builtIn.Select(t => t.Name).Order(StringComparer.Ordinal), Catalog.Names);
        Assert.Equal(builtIn.Select(t => (t.Name, t.Pack)).Order(), Catalog.Types.Select(t => (t.Name, t.Pack)).Order());
        Assert.All(Catalog.Types, t => Assert.Equal("https://json-schema.org/draft/2020-12/schema", t.Document.GetProperty("$schema").GetString()));
    }

    [Theory]
    [MemberData(nameof(SchemaCases.Valid), MemberType = typeof(SchemaCases))]
    public async Task A_valid_payload_is_accepted(string type, string payload)
    {
        using var doc = JsonDocument.Parse(payload);
        Assert.Null(Catalog.Validate(type, doc.RootElement));

        var principal = await _server.RegisterAsync(type);
        var d = await _server.OpenDeliberationAsync();
        var response = await _server.PostEnvelopeAsync(Mesa.Client.MesaEnvelope.Create(type, principal.Id, payload, d).Sign(principal.Keys));
        response.ShouldSucceed(201);
    }

    [Theory]
    [MemberData(nameof(SchemaCases.Invalid), MemberType = typeof(SchemaCases))]
    public void Each_constraint_is_enforced_and_the_first_problem_named(string type, string payload, string message)
    {
        using var doc = JsonDocument.Parse(payload);
        Assert.Equal(message, Catalog.Validate(type, doc.RootElement));
    }

    [Fact]
    public async Task Over_http_a_violated_constraint_is_422_schema_invalid_with_that_message()
    {
        var principal = await _server.RegisterAsync("license_terms");
        var d = await _server.OpenDeliberationAsync();
        var payload = """{"dataset_id":"d","fee_model":{"kind":"flat","amount_usd":1},"term_months":3.5}""";
        var response = await _server.PostEnvelopeAsync(Mesa.Client.MesaEnvelope.Create("license_terms", principal.Id, payload, d).Sign(principal.Keys));
        response.ShouldFail(422, "schema_invalid");
        Assert.Equal("payload.term_months: 3.5 is not of type 'integer'", response.Detail.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("offer", """{"summary":"s","terms":{},"expires_at":"soon"}""")]
    [InlineData("dpa_reference", """{"uri":"::::","version":"1","executed_at":"the day after"}""")]
    [InlineData("opt_out_delta", """{"dataset_id":"d","added_count":1,"as_of":"31/02/2026"}""")]
    [InlineData("scope_clause", """{"included":{"date_range":{"start":"dawn","end":"dusk"}},"excluded":{}}""")]
    public void Formats_are_annotations_only(string type, string payload)
    {
        using var doc = JsonDocument.Parse(payload);
        Assert.Null(Catalog.Validate(type, doc.RootElement));
    }

    [Theory]
    [InlineData("3.0")]
    [InlineData("3")]
    [InlineData("3e0")]
    [InlineData("0.3e1")]
    public void A_whole_number_with_a_fraction_or_exponent_is_an_integer(string months)
    {
        using var doc = JsonDocument.Parse($$"""{"dataset_id":"d","fee_model":{"kind":"flat","amount_usd":1},"term_months":{{months}}}""");
        Assert.Null(Catalog.Validate("license_terms", doc.RootElement));
    }

    [Fact]
    public void Validating_an_unknown_type_names_the_known_ones()
    {
        using var doc = JsonDocument.Parse("{}");
        Assert.StartsWith("unknown commitment type 'nope'; known types: ['amendment', ", Catalog.Validate("nope", doc.RootElement));
    }
}
