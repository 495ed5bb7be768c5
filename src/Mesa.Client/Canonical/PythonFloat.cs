using System.Globalization;

namespace Mesa.Client;

/// <summary>Formats a finite double exactly as Python's <c>repr(float)</c>.</summary>
internal static class PythonFloat
{
    /// <summary>Room that always suffices for one formatted double.</summary>
    public const int MaxLength = 32;

    /// <summary>Writes repr(<paramref name="value"/>) as ASCII into <paramref name="destination"/>; returns the length.</summary>
    public static int Format(double value, Span<byte> destination)
    {
        if (value == 0)
        {
            var zero = double.IsNegative(value) ? "-0.0"u8 : "0.0"u8;
            zero.CopyTo(destination);
            return zero.Length;
        }

        // .NET's shortest round-trip digits are the ones Python picks; only the layout differs.
        Span<byte> r = stackalloc byte[MaxLength];
        value.TryFormat(r, out var rl, "R", CultureInfo.InvariantCulture);
        r = r[..rl];

        var negative = r[0] == (byte)'-';
        var start = negative ? 1 : 0;
        var ePos = r.IndexOfAny((byte)'E', (byte)'e');
        var mantissa = ePos < 0 ? r[start..] : r[start..ePos];
        var exponent = 0;
        if (ePos >= 0)
        {
            var expText = r[(ePos + 1)..];
            var sign = 1;
            if (expText[0] == (byte)'-' || expText[0] == (byte)'+')
            {
                sign = expText[0] == (byte)'-' ? -1 : 1;
                expText = expText[1..];
            }

            foreach (var c in expText) exponent = exponent * 10 + (c - '0');
            exponent *= sign;
        }

        Span<byte> digits = stackalloc byte[MaxLength];
        var n = 0;
        var dot = mantissa.IndexOf((byte)'.');
        var intLen = dot < 0 ? mantissa.Length : dot;
        foreach (var c in mantissa)
        {
            if (c != (byte)'.') digits[n++] = c;
        }

        // value = 0.d1d2...dn * 10^point
        var point = intLen + exponent;
        var lead = 0;
        while (lead < n - 1 && digits[lead] == (byte)'0')
        {
            lead++;
            point--;
        }

        digits = digits[lead..n];
        n = digits.Length;
        while (n > 1 && digits[n - 1] == (byte)'0') n--;
        digits = digits[..n];

        var pos = 0;
        if (negative) destination[pos++] = (byte)'-';

        // Python's repr switches to exponent notation when the decimal exponent leaves -4..15.
        if (point > -4 && point <= 16)
        {
            if (point <= 0)
            {
                destination[pos++] = (byte)'0';
                destination[pos++] = (byte)'.';
                for (var i = 0; i < -point; i++) destination[pos++] = (byte)'0';
                digits.CopyTo(destination[pos..]);
                pos += n;
            }
            else if (point >= n)
            {
                digits.CopyTo(destination[pos..]);
                pos += n;
                for (var i = n; i < point; i++) destination[pos++] = (byte)'0';
                destination[pos++] = (byte)'.';
                destination[pos++] = (byte)'0';
            }
            else
            {
                digits[..point].CopyTo(destination[pos..]);
                pos += point;
                destination[pos++] = (byte)'.';
                digits[point..].CopyTo(destination[pos..]);
                pos += n - point;
            }

            return pos;
        }

        var e = point - 1;
        destination[pos++] = digits[0];
        if (n > 1)
        {
            destination[pos++] = (byte)'.';
            digits[1..].CopyTo(destination[pos..]);
            pos += n - 1;
        }

        destination[pos++] = (byte)'e';
        destination[pos++] = e < 0 ? (byte)'-' : (byte)'+';
        var abs = Math.Abs(e);
        if (abs < 10) destination[pos++] = (byte)'0';
        abs.TryFormat(destination[pos..], out var written, provider: CultureInfo.InvariantCulture);
        return pos + written;
    }

    /// <summary>repr(<paramref name="value"/>) as a string.</summary>
    public static string Format(double value)
    {
        Span<byte> buffer = stackalloc byte[MaxLength];
        var length = Format(value, buffer);
        return System.Text.Encoding.ASCII.GetString(buffer[..length]);
    }
}
