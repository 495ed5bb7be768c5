namespace Mesa.Client.Tests.Support;

/// <summary>A generated envelope payload (always a JSON object).</summary>
public sealed record PayloadSample(Dictionary<string, object?> Value)
{
    public override string ToString() => CanonicalJson.ToCanonicalString(Value);
}
