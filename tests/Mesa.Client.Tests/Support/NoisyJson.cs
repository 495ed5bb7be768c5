using System.Globalization;
using System.Numerics;
using System.Text;

namespace Mesa.Client.Tests.Support;

/// <summary>
/// Writes a value as valid but deliberately non-canonical JSON: random whitespace, shuffled keys, earlier decoy
/// duplicates of keys (the last one wins), characters escaped at random, floats in varied notations.
/// </summary>
internal static class NoisyJson
{
    public static string Write(object? value, Random random)
    {
        var sb = new StringBuilder();
        Value(sb, value, random);
        Space(sb, random);
        return sb.ToString();
    }

    private static void Value(StringBuilder sb, object? value, Random random)
    {
        Space(sb, random);
        switch (value)
        {
            case null: sb.Append("null"); break;
            case bool b: sb.Append(b ? "true" : "false"); break;
            case long l: sb.Append(l.ToString(CultureInfo.InvariantCulture)); break;
            case BigInteger big: sb.Append(big.ToString(CultureInfo.InvariantCulture)); break;
            case double d: sb.Append(Float(d, random)); break;
            case string s: String(sb, s, random); break;
            case Dictionary<string, object?> map:
            {
                var entries = map.OrderBy(_ => random.Next()).ToList();
                if (entries.Count > 0 && random.Next(4) == 0)
                {
                    entries.Insert(0, new KeyValuePair<string, object?>(entries[random.Next(entries.Count)].Key, "decoy"));
                }

                sb.Append('{');
                for (var i = 0; i < entries.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    Space(sb, random);
                    String(sb, entries[i].Key, random);
                    Space(sb, random);
                    sb.Append(':');
                    Value(sb, entries[i].Value, random);
                    Space(sb, random);
                }

                sb.Append('}');
                break;
            }

            case List<object?> list:
                sb.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    Value(sb, list[i], random);
                    Space(sb, random);
                }

                sb.Append(']');
                break;
            default:
                throw new ArgumentException($"NoisyJson does not write {value.GetType()}.");
        }
    }

    // Always with a '.' or an exponent, so the number stays a float on the wire.
    private static string Float(double value, Random random)
    {
        switch (random.Next(3))
        {
            case 0:
                var r = value.ToString("R", CultureInfo.InvariantCulture);
                return r.AsSpan().IndexOfAny('.', 'E') >= 0 ? r : r + ".0";
            case 1:
                return value.ToString("E17", CultureInfo.InvariantCulture);
            default:
                return value.ToString("e16", CultureInfo.InvariantCulture).Replace("e+", "e", StringComparison.Ordinal);
        }
    }

    private static void String(StringBuilder sb, string value, Random random)
    {
        sb.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var escape = c is '"' or '\\' || c < 0x20 || random.Next(5) == 0;
            if (char.IsHighSurrogate(c))
            {
                // Both halves of a pair are escaped or neither: a raw half next to an escaped one never pairs up.
                if (escape) sb.Append($"\\u{(int)c:x4}\\u{(int)value[i + 1]:X4}");
                else sb.Append(c).Append(value[i + 1]);
                i++;
                continue;
            }

            if (!escape)
            {
                sb.Append(c);
                continue;
            }

            var shortForm = c switch
            {
                '"' => "\\\"", '\\' => "\\\\", '\n' => "\\n", '\r' => "\\r", '\t' => "\\t", '\b' => "\\b", '\f' => "\\f", '/' => "\\/",
                _ => null,
            };
            if (shortForm is not null && random.Next(2) == 0) sb.Append(shortForm);
            else sb.Append("\\u").Append(((int)c).ToString(random.Next(2) == 0 ? "x4" : "X4", CultureInfo.InvariantCulture));
        }

        sb.Append('"');
    }

    private static void Space(StringBuilder sb, Random random)
    {
        for (var n = random.Next(3); n > 0; n--) sb.Append(" \t\n\r"[random.Next(4)]);
    }
}
