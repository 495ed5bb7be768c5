namespace Mesa.Client;

/// <summary>Strict hex parsing with messages that say what was expected.</summary>
internal static class Hex
{
    public static byte[] Parse(string? text, int expectedBytes, string what, string paramName)
    {
        var expectedChars = expectedBytes * 2;
        if (text is null)
        {
            throw new ArgumentNullException(paramName, $"{what} is required: expected {expectedChars} hex characters ({expectedBytes} bytes).");
        }

        if (text.Length != expectedChars)
        {
            throw new ArgumentException(
                $"{what} must be exactly {expectedChars} hex characters ({expectedBytes} bytes); got {text.Length} characters.", paramName);
        }

        if (!IsHex(text))
        {
            throw new ArgumentException(
                $"{what} must contain only hex characters 0-9 and a-f ({expectedChars} characters, {expectedBytes} bytes).", paramName);
        }

        return Convert.FromHexString(text);
    }

    public static bool IsHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    public static string Lower(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}
