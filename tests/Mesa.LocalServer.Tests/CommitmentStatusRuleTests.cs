using Mesa.LocalServer.Policies;

namespace Mesa.LocalServer.Tests;

/// <summary>The "flag or route means flagged" rule: the status a stored commitment takes from the policy decision.</summary>
public sealed class CommitmentStatusRuleTests
{
    [Theory]
    [InlineData(PolicyActions.Allow, "active")]
    [InlineData(PolicyActions.Flag, "flagged")]
    [InlineData(PolicyActions.Route, "flagged")]
    public void Status_follows_the_strongest_action(string action, string expected)
    {
        var applied = new[] { new AppliedPolicy("p1", "cap", action, action == PolicyActions.Route ? "legal" : null) };
        Assert.Equal(expected, CommitmentStatusRule.StatusFor(new PolicyDecision(action, applied)));
    }

    [Fact]
    public void Nothing_fired_is_active()
    {
        Assert.Equal(CommitmentStatusRule.Active, CommitmentStatusRule.StatusFor(PolicyDecision.AllowNothingFired));
    }

    [Fact]
    public void A_block_has_no_status()
    {
        var decision = new PolicyDecision(PolicyActions.Block, new[] { new AppliedPolicy("p1", "stop", PolicyActions.Block, null) });
        Assert.Throws<ArgumentException>(() => CommitmentStatusRule.StatusFor(decision));
    }
}
