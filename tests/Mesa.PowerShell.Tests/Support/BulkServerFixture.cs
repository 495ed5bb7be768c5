namespace Mesa.PowerShell.Tests;

/// <summary>
/// The bundled server for the bulk tests, started with a block policy (an offer whose <c>terms.discount_pct</c> is over
/// 30 is refused with <c>policy_blocked</c>).
/// </summary>
public sealed class BulkServerFixture : LocalServerFixture
{
    private const string BlockPolicy = """
        [{"id":"pol-block-discount","name":"block-deep-discount","scope_kind":"global","scope_ref":null,
          "predicate_name":"agent_discount_over_cap","params":{"cap":30},"action":"block","route_to":null,"enabled":true}]
        """;

    public BulkServerFixture()
        : base(BlockPolicy)
    {
    }
}
