using Mesa.LocalServer.Hosting;
using Mesa.LocalServer.Schemas;
using Mesa.LocalServer.Tests.Support;

namespace Mesa.LocalServer.Tests;

/// <summary>--schemas DIR: extra packs, and the start-up errors for duplicate names and broken schema files.</summary>
public sealed class SchemaPackTests : IDisposable
{
    private const string Invoice = """
        {"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object",
         "properties":{"amount":{"type":"number","minimum":0},"due":{"type":"string","format":"date"}},
         "required":["amount"],"additionalProperties":false}
        """;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Files_in_the_directory_form_a_pack_and_subdirectories_form_more()
    {
        _dir.Write("invoice.json", Invoice);
        _dir.Write("procurement/purchase_order.schema.json", Invoice);
        var catalog = CommitmentTypeCatalog.Load(new[] { _dir.Path });
        var invoice = catalog.Types.Single(t => t.Name == "invoice");
        Assert.Equal(Path.GetFileName(_dir.Path), invoice.Pack);
        Assert.Equal("procurement", catalog.Types.Single(t => t.Name == "purchase_order").Pack);
        Assert.Equal(14, catalog.Names.Count);
    }

    [Fact]
    public async Task An_extra_type_can_be_granted_and_is_validated()
    {
        _dir.Write("procurement/invoice.json", Invoice);
        using var server = new InProcessServer(new ServerOptions { DatabasePath = ":memory:", AdminToken = InProcessServer.AdminToken, SchemaDirectories = new[] { _dir.Path } });
        var principal = await server.RegisterAsync("invoice", "offer");
        var d = await server.OpenDeliberationAsync();
        (await server.PostEnvelopeAsync(server.Sign(principal, "invoice", new Dictionary<string, object?> { ["amount"] = 10, ["due"] = "someday" }, d))).ShouldSucceed(201);
        var invalid = await server.PostEnvelopeAsync(server.Sign(principal, "invoice", new Dictionary<string, object?> { ["amount"] = -1 }, d));
        invalid.ShouldFail(422, "schema_invalid");
        Assert.Equal("payload.amount: -1 is less than the minimum of 0", invalid.Detail.GetProperty("message").GetString());
    }

    [Fact]
    public void A_type_defined_twice_names_both_files()
    {
        var offer = _dir.Write("mine/offer.json", Invoice);
        var ex = Assert.Throws<StartupException>(() => CommitmentTypeCatalog.Load(new[] { _dir.Path }));
        Assert.Contains("'offer' is defined twice", ex.Message);
        Assert.Contains("built-in core/offer.schema.json", ex.Message);
        Assert.Contains(offer, ex.Message);
    }

    [Fact]
    public void A_type_defined_twice_in_extra_packs_names_both_files()
    {
        var first = _dir.Write("a/invoice.json", Invoice);
        var second = _dir.Write("b/invoice.schema.json", Invoice);
        var ex = Assert.Throws<StartupException>(() => CommitmentTypeCatalog.Load(new[] { _dir.Path }));
        Assert.Contains(first, ex.Message);
        Assert.Contains(second, ex.Message);
    }

    [Theory]
    [InlineData("{ not json", "is not valid JSON")]
    [InlineData("""{"type":"objectx"}""", "is not a valid JSON Schema")]
    [InlineData("""{"minLength":"three"}""", "is not a valid JSON Schema")]
    [InlineData("[1,2]", "is not a JSON Schema")]
    public void A_broken_schema_file_is_named(string content, string expected)
    {
        var file = _dir.Write("bad/broken.json", content);
        var ex = Assert.Throws<StartupException>(() => CommitmentTypeCatalog.Load(new[] { _dir.Path }));
        Assert.Contains(expected, ex.Message);
        Assert.Contains(file, ex.Message);
    }
}
