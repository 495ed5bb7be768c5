using System.Buffers.Binary;

namespace Mesa.Client.Tests;

/// <summary>Doubles against the text Python's json.dumps wrote for them (tests/vectors/float-repr.json, made by make_float_repr.py).</summary>
public class FloatReprVectorTests
{
    [Fact]
    public void Every_double_is_written_as_python_writes_it()
    {
        var cases = Vectors.Load("float-repr.json").GetProperty("cases").EnumerateArray().ToList();
        var mismatches = new List<string>();

        foreach (var pair in cases)
        {
            var bits = BinaryPrimitives.ReadInt64BigEndian(Convert.FromHexString(pair[0].GetString()!));
            var value = BitConverter.Int64BitsToDouble(bits);
            var expected = pair[1].GetString()!;
            var fromValue = CanonicalJson.ToCanonicalString(value);
            var fromText = System.Text.Encoding.ASCII.GetString(CanonicalJson.FromJson(expected)); // a repr always reads back as a float
            if (fromValue != expected || fromText != expected) mismatches.Add($"{pair[0]}: python {expected}, ours {fromValue} / {fromText}");
        }

        Assert.Equal(4000, cases.Count);
        Assert.Empty(mismatches);
    }
}
