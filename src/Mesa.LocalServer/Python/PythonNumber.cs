using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace Mesa.LocalServer.Python;

/// <summary>
/// A JSON number with Python's semantics: a literal without <c>.</c>/<c>e</c> is an exact integer of any size, anything
/// else a double; comparisons between the two are exact, as in Python. Booleans are never numbers here.
/// </summary>
internal readonly struct PythonNumber
{
    private readonly BigInteger _integer;
    private readonly double _float;

    private PythonNumber(BigInteger integer)
    {
        IsInteger = true;
        _integer = integer;
        _float = 0;
    }

    private PythonNumber(double value)
    {
        IsInteger = false;
        _integer = default;
        _float = value;
    }

    public bool IsInteger { get; }

    /// <summary>Reads a JSON number; false for every other kind (booleans included).</summary>
    public static bool TryRead(JsonElement element, out PythonNumber number)
    {
        number = default;
        if (element.ValueKind != JsonValueKind.Number) return false;
        var raw = element.GetRawText();
        if (raw.AsSpan().IndexOfAny('.', 'e', 'E') < 0)
        {
            number = new PythonNumber(BigInteger.Parse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
            return true;
        }

        number = new PythonNumber(double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture));
        return true;
    }

    /// <summary>True when the value is zero (Python's falsy number).</summary>
    public bool IsZero => IsInteger ? _integer.IsZero : _float == 0;

    /// <summary>True when finite (integers always are).</summary>
    public bool IsFinite => IsInteger || double.IsFinite(_float);

    /// <summary><c>this &gt; other</c> with Python's exact mixed comparison.</summary>
    public bool GreaterThan(PythonNumber other)
    {
        if (IsInteger && other.IsInteger) return _integer > other._integer;
        if (!IsInteger && !other.IsInteger) return _float > other._float;
        return IsInteger ? CompareIntToFloat(_integer, other._float) > 0 : CompareIntToFloat(other._integer, _float) < 0;
    }

    // Sign of (a - b) for an exact integer a and a double b.
    private static int CompareIntToFloat(BigInteger a, double b)
    {
        if (double.IsNaN(b)) return 0; // Python: every comparison with NaN is false; callers use > only
        if (double.IsPositiveInfinity(b)) return -1;
        if (double.IsNegativeInfinity(b)) return 1;
        var floor = Math.Floor(b);
        var c = a.CompareTo(new BigInteger(floor));
        if (c != 0) return c;
        return floor == b ? 0 : -1; // a == floor(b) < b
    }
}
