using System.Runtime.InteropServices;

namespace Mesa.LocalServer.Http;

/// <summary>
/// glibc's allocator, which SQLite uses: by default a freed block of many megabytes (a large bound value) raises the
/// threshold for serving big blocks from mmap, so later ones come from heap arenas that are never given back. A fixed
/// threshold keeps big blocks on mmap (returned on free), and a trim hands freed arena memory back when idle.
/// Elsewhere (or on another C library) both are no-ops.
/// </summary>
internal static partial class NativeHeap
{
    private const int MmapThreshold = -3; // M_MMAP_THRESHOLD
    private static bool _unavailable = !OperatingSystem.IsLinux();

    /// <summary>Serves blocks of 1 MiB and more from mmap, so freeing them returns them.</summary>
    public static void UseMmapForLargeBlocks() => Try(() => mallopt(MmapThreshold, 1024 * 1024));

    /// <summary>Returns freed native heap memory to the operating system.</summary>
    public static void Trim() => Try(() => malloc_trim(0));

    private static void Try(Func<int> call)
    {
        if (_unavailable) return;
        try
        {
            call();
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            _unavailable = true;
        }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int mallopt(int param, int value);

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int malloc_trim(nuint pad);
}
