using System.Globalization;

namespace Mesa.Client;

/// <summary>Formats a finite double exactly as Python's <c>repr(float)</c>.</summary>
internal static class PythonFloat
{
    /// <summary>Writes repr(<paramref name="value"/>) into <paramref name="destination"/>; returns the length. 32 chars always suffice.</summary>
    public static int Format(double value, Span<char> destination)
    {
        if (value == 0)
        {
            var zero = double.IsNegative(value) ? "-0.0" : "0.0";
            zero.CopyTo(destination);
            return zero.Length;
        }

        // .NET's round-trip format yields the shortest digits; Python picks the same digits but lays them out differently.
        Span<char> r = stackalloc char[32];
        value.TryFormat(r, out var rl, "R", CultureInfo.InvariantCulture);
        r = r[..rl];

        var pos = 0;
        var negative = r[0] == '-';
        var start = negative ? 1 : 0;
        var ePos = r.IndexOfAny('E', 'e');
        var mantissa = ePos < 0 ? r[start..] : r[start..ePos];
        var exponent = ePos < 0 ? 0 : int.Parse(r[(ePos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

        Span<char> digits = stackalloc char[24];
        var n = 0;
        var dot = mantissa.IndexOf('.');
        var intLen = dot < 0 ? mantissa.Length : dot;
        foreach (var c in mantissa)
        {
            if (c != '.') digits[n++] = c;
        }

        // value = 0.d1d2...dn * 10^point
        var point = intLen + exponent;
        var lead = 0;
        while (lead < n - 1 && digits[lead] == '0')
        {
            lead++;
            point--;
        }

        digits = digits[lead..n];
        n = digits.Length;
        while (n > 1 && digits[n - 1] == '0') n--;
        digits = digits[..n];

        if (negative) destination[pos++] = '-';

        if (point > -4 && point <= 16)
        {
            if (point <= 0)
            {
                destination[pos++] = '0';
                destination[pos++] = '.';
                for (var i = 0; i < -point; i++) destination[pos++] = '0';
                digits.CopyTo(destination[pos..]);
                pos += n;
            }
            else if (point >= n)
            {
                digits.CopyTo(destination[pos..]);
                pos += n;
                for (var i = n; i < point; i++) destination[pos++] = '0';
                destination[pos++] = '.';
                destination[pos++] = '0';
            }
            else
            {
                digits[..point].CopyTo(destination[pos..]);
                pos += point;
                destination[pos++] = '.';
                digits[point..].CopyTo(destination[pos..]);
                pos += n - point;
            }

            return pos;
        }

        var e = point - 1;
        destination[pos++] = digits[0];
        if (n > 1)
        {
            destination[pos++] = '.';
            digits[1..].CopyTo(destination[pos..]);
            pos += n - 1;
        }

        destination[pos++] = 'e';
        destination[pos++] = e < 0 ? '-' : '+';
        var abs = Math.Abs(e);
        if (abs < 10) destination[pos++] = '0';
        abs.TryFormat(destination[pos..], out var written, provider: CultureInfo.InvariantCulture);
        return pos + written;
    }

    public static string Format(double value)
    {
        Span<char> buffer = stackalloc char[32];
        return new string(buffer[..Format(value, buffer)]);
    }
}
