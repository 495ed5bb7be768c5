using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Mesa.LocalServer.Python;

/// <summary>
/// Reads JSON strings the way Python does: a lone surrogate escape (<c>"\ud800"</c>) is kept as that one code unit
/// instead of failing, since Python's parser accepts it and only encoding it later fails.
/// </summary>
internal static class JsonStrings
{
    /// <summary>The string value of <paramref name="element"/> (a JSON string).</summary>
    /// <param name="element">A string element.</param>
    /// <param name="hasLoneSurrogate">True when the text holds an unpaired surrogate.</param>
    public static string Read(JsonElement element, out bool hasLoneSurrogate)
    {
        try
        {
            hasLoneSurrogate = false;
            return element.GetString()!;
        }
        catch (InvalidOperationException)
        {
            hasLoneSurrogate = true;
            return Unescape(element.GetRawText());
        }
    }

    /// <summary>Decodes a raw JSON string token (with its quotes), keeping lone surrogates.</summary>
    public static string Unescape(string raw)
    {
        var sb = new StringBuilder(raw.Length);
        for (var i = 1; i < raw.Length - 1; i++)
        {
            var c = raw[i];
            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }

            var e = raw[++i];
            switch (e)
            {
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'u':
                    sb.Append((char)int.Parse(raw.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 4;
                    break;
                default: sb.Append(e); break;
            }
        }

        return sb.ToString();
    }

    /// <summary>True when <paramref name="value"/> holds an unpaired surrogate.</summary>
    public static bool HasLoneSurrogate(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return true;
            }
        }

        return false;
    }
}
