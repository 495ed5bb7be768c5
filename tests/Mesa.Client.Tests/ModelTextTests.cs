using System.Numerics;

namespace Mesa.Client.Tests;

/// <summary>
/// The text of the models that PowerShell shows nested (Format-List prints a property's ToString): a decision, its
/// policies, a detail's turns and commitments, and JSON values converted to plain .NET values.
/// </summary>
public class ModelTextTests
{
    [Fact]
    public void A_decision_reads_as_its_action_and_the_policies_that_fired()
    {
        var decision = new MesaDecision
        {
            Action = "route",
            Applied =
            [
                new MesaAppliedPolicy { PolicyId = "1", PolicyName = "flag-large-spend", Action = "flag" },
                new MesaAppliedPolicy { PolicyId = "2", PolicyName = "route-long-term", Action = "route", RouteTo = "legal-review" },
            ],
        };

        Assert.Equal("route; applied: flag-large-spend (flag), route-long-term (route -> legal-review)", decision.ToString());
        Assert.Equal("allow; applied: none", new MesaDecision { Action = "allow" }.ToString());
    }

    [Fact]
    public void Turns_and_commitment_summaries_read_like_the_transcript()
    {
        Assert.Equal("[2] p1: We accept.", new MesaTurn { Index = 2, SpeakerId = "p1", Content = "We accept." }.ToString());
        Assert.Equal("offer flagged c1 by p1", new MesaCommitmentSummary { Id = "c1", Type = "offer", Status = "flagged", PrincipalId = "p1" }.ToString());
    }

    [Fact]
    public void Plain_json_values_stay_dictionaries_and_lists_and_read_as_json()
    {
        var plain = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(
            JsonPlain.Parse("""{"terms":{"fee":10,"big":123456789012345678901234567890,"regions":["EU","UK"],"rate":0.5},"summary":"s"}"""));
        var terms = Assert.IsAssignableFrom<IDictionary<string, object?>>(plain["terms"]);
        var regions = Assert.IsAssignableFrom<IList<object?>>(terms["regions"]);

        Assert.Equal(10L, terms["fee"]);
        Assert.Equal(BigInteger.Parse("123456789012345678901234567890"), terms["big"]);
        Assert.Equal(["EU", "UK"], regions);
        Assert.Equal("""{"big":123456789012345678901234567890,"fee":10,"rate":0.5,"regions":["EU","UK"]}""", terms.ToString());
        Assert.Equal("""["EU","UK"]""", regions.ToString());
    }

    [Fact]
    public void An_envelope_payload_is_plain_values_and_changing_them_changes_nothing_signed()
    {
        var envelope = MesaEnvelope.Create("offer", "p1", """{"summary":"s","terms":{"fee":10}}""", "d1");
        var canonical = envelope.GetCanonicalBytes();

        var payload = envelope.Payload;
        Assert.Equal("s", payload["summary"]);
        ((IDictionary<string, object?>)payload)["summary"] = "changed";

        Assert.Equal("s", envelope.Payload["summary"]);
        Assert.Equal(canonical, envelope.GetCanonicalBytes());
        Assert.Equal("""{"summary":"s","terms":{"fee":10}}""", envelope.PayloadJson);
    }
}
