using System.Numerics;
using FsCheck;
using FsCheck.Fluent;

namespace Mesa.Client.Tests.Support;

/// <summary>
/// FsCheck generators for JSON values that stress canonical JSON: keys and strings mixing ASCII, control characters,
/// quotes, non-ASCII, U+2028, private-use and astral characters; integers beyond 64 bits; doubles from any bit pattern.
/// </summary>
public static class JsonArbitraries
{
    private static readonly Gen<string> Unit = Gen.Frequency(
        (8, Gen.Choose(0x20, 0x7E).Select(c => ((char)c).ToString())),
        (2, Gen.Choose(0x00, 0x1F).Select(c => ((char)c).ToString())),
        (1, Gen.Elements("\"", "\\", "/")),
        (2, Gen.Elements("é", "ß", "\u0301", "\u007f", "\u2028", "\u2029", "\ufeff", "\uff5e", "合", "\ue000", "\uffff")),
        (2, Gen.Choose(0x10000, 0x10FFFF).Select(char.ConvertFromUtf32)));

    private static readonly Gen<string> Text = Gen.Choose(0, 12).SelectMany(n => Gen.ListOf(Unit, n)).Select(string.Concat);

    private static readonly Gen<string> Key = Gen.Frequency(
        (3, Gen.Elements("a", "b", "B", "_", "0", "summary", "terms", "\uff5e", "😀")),
        (2, Text));

    private static readonly Gen<double> AnyFiniteDouble = Gen.Zip(Gen.Choose(int.MinValue, int.MaxValue), Gen.Choose(int.MinValue, int.MaxValue))
        .Select(t => BitConverter.Int64BitsToDouble(((long)t.Item1 << 32) | (uint)t.Item2))
        .Where(double.IsFinite);

    private static readonly Gen<double> PlainDouble = Gen.Zip(Gen.Choose(-1_000_000, 1_000_000), Gen.Choose(-20, 20))
        .Select(t => t.Item1 * Math.Pow(10, t.Item2));

    private static readonly Gen<object?> Scalar = Gen.Frequency(
        (1, Gen.Constant<object?>(null)),
        (1, Gen.Elements<object?>(true, false)),
        (3, Gen.Zip(Gen.Choose(int.MinValue, int.MaxValue), Gen.Choose(int.MinValue, int.MaxValue))
            .Select(t => (object?)(((long)t.Item1 << 32) | (uint)t.Item2))),
        (2, Gen.Choose(-1000, 1000).Select(i => (object?)(long)i)),
        (1, Gen.Choose(19, 60).SelectMany(n => Gen.ListOf(Gen.Choose(0, 9), n))
            .Zip(Gen.Elements("", "-"))
            .Select(t => (object?)BigInteger.Parse(t.Item2 + "1" + string.Concat(t.Item1)))),
        (2, AnyFiniteDouble.Select(d => (object?)d)),
        (2, PlainDouble.Select(d => (object?)d)),
        (1, Gen.Elements<object?>(0.0, -0.0, 1e16, 1e-5, 1e15, 0.0001, double.Epsilon, double.MaxValue)),
        (3, Text.Select(s => (object?)s)));

    public static Arbitrary<JsonSample> Samples() =>
        Arb.From(Gen.Sized(size => Value(Math.Min(size, 40))).Select(v => new JsonSample(v)));

    public static Arbitrary<KeySeed> Seeds() =>
        Arb.From(Gen.ListOf(Gen.Choose(0, 255), 32).Select(b => new KeySeed(b.Select(x => (byte)x).ToArray())));

    /// <summary>JSON objects, as envelope payloads must be.</summary>
    public static Arbitrary<PayloadSample> Payloads() =>
        Arb.From(Gen.Sized(size => Object(Math.Clamp(size, 2, 40))).Select(v => new PayloadSample((Dictionary<string, object?>)v!)));

    private static Gen<object?> Value(int size) =>
        size <= 1
            ? Scalar
            : Gen.Frequency((4, Scalar), (1, Object(size)), (1, Array(size)));

    private static Gen<object?> Object(int size) =>
        Gen.Choose(0, 6).SelectMany(n =>
            Gen.Zip(Gen.ListOf(Key, n), Gen.ListOf(Value(size / (n + 1)), n)).Select(t =>
            {
                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                for (var i = 0; i < n; i++) map[t.Item1[i]] = t.Item2[i];
                return (object?)map;
            }));

    private static Gen<object?> Array(int size) =>
        Gen.Choose(0, 6).SelectMany(n => Gen.ListOf(Value(size / (n + 1)), n)).Select(items => (object?)items.ToList());
}
