namespace Mesa.Client.Tests;

public class CanonicalJsonVectorTests
{
    public static IEnumerable<object[]> CaseNames => Vectors.Cases("canonical-json.json");

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Matches_the_reference_bytes(string name)
    {
        var vector = Vectors.Case("canonical-json.json", name);
        var json = vector.GetProperty("json").GetString()!;
        if (vector.TryGetProperty("error", out _))
        {
            Assert.Throws<CanonicalJsonException>(() => CanonicalJson.FromJson(json));
            return;
        }

        var expected = vector.GetProperty("canonical_hex").GetString()!;
        Assert.Equal(expected, Convert.ToHexStringLower(CanonicalJson.FromJson(json)));
    }
}
