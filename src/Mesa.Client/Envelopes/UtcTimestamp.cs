namespace Mesa.Client;

/// <summary>
/// The reference SDK's timestamp layout, <c>2026-05-08T09:30:15.123456Z</c> (UTC, microseconds, <c>Z</c>), written by
/// hand: a custom DateTime format string costs several times more, and every envelope needs one.
/// </summary>
internal static class UtcTimestamp
{
    /// <summary>Characters in a formatted timestamp.</summary>
    public const int Length = 27;

    public static string Format(DateTime utc) => string.Create(Length, utc, static (span, value) => Write(value, span));

    /// <summary>Writes the 27 characters; sub-microsecond ticks are dropped, as Python's datetime has none.</summary>
    public static void Write(DateTime utc, Span<char> destination)
    {
        var time = utc.TimeOfDay;
        Digits(destination[..4], utc.Year);
        destination[4] = '-';
        Digits(destination.Slice(5, 2), utc.Month);
        destination[7] = '-';
        Digits(destination.Slice(8, 2), utc.Day);
        destination[10] = 'T';
        Digits(destination.Slice(11, 2), time.Hours);
        destination[13] = ':';
        Digits(destination.Slice(14, 2), time.Minutes);
        destination[16] = ':';
        Digits(destination.Slice(17, 2), time.Seconds);
        destination[19] = '.';
        Digits(destination.Slice(20, 6), (int)(time.Ticks % TimeSpan.TicksPerSecond / 10));
        destination[26] = 'Z';
    }

    /// <summary>The same, as ASCII bytes.</summary>
    public static void Write(DateTime utc, Span<byte> destination)
    {
        Span<char> chars = stackalloc char[Length];
        Write(utc, chars);
        for (var i = 0; i < Length; i++) destination[i] = (byte)chars[i];
    }

    private static void Digits(Span<char> destination, int value)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (char)('0' + value % 10);
            value /= 10;
        }
    }
}
