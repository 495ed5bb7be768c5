using System.Diagnostics;

namespace Mesa.LocalServer.Tests.Support;

/// <summary>
/// Waits for a condition instead of sleeping a fixed time: polls it until it holds or the time is up, so a test goes
/// on as soon as the condition holds and a slow machine only makes it wait longer.
/// </summary>
internal static class WaitUntil
{
    /// <summary>True as soon as <paramref name="condition"/> holds; false when it still does not after <paramref name="within"/>.</summary>
    public static async Task<bool> HoldsAsync(Func<bool> condition, TimeSpan within, TimeSpan? interval = null)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (condition()) return true;
            if (watch.Elapsed >= within) return false;
            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(100));
        }
    }
}
