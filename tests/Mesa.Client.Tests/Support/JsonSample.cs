namespace Mesa.Client.Tests.Support;

/// <summary>A generated JSON value as plain .NET values (dictionaries, lists, strings, longs, BigIntegers, doubles, booleans, null).</summary>
public sealed record JsonSample(object? Value)
{
    public override string ToString() => CanonicalJson.ToCanonicalString(Value);
}
