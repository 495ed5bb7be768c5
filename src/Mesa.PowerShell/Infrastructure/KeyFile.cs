using System.Text;
using Mesa.Client;

namespace Mesa.PowerShell.Infrastructure;

/// <summary>
/// Reads and writes key files: the private seed as 64 lowercase hex characters and a newline. On Unix a new file is
/// created owner-only (0600) from its first byte, so there is never a moment when others could read it.
/// </summary>
internal static class KeyFile
{
    /// <summary>A key file is 64 hex characters plus a line ending; anything much larger is not one.</summary>
    private const int MaxLength = 1024;

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Writes the keypair's seed to <paramref name="path"/>.</summary>
    /// <exception cref="IOException">The file exists and <paramref name="overwrite"/> is false, or the write failed.</exception>
    public static void Write(MesaKeypair keypair, string path, bool overwrite)
    {
        var content = Encoding.ASCII.GetBytes(keypair.ExportPrivateKeyHex() + "\n");
        try
        {
            if (!overwrite)
            {
                // CreateNew fails if the file appeared meanwhile: no check-then-write race.
                WriteNew(path, content);
                return;
            }

            // Replacing in place would keep an existing file's (maybe looser) mode: write a fresh owner-only
            // file beside it and rename it over the target.
            var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
            var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
            try
            {
                WriteNew(temporary, content);
                File.Move(temporary, path, overwrite: true);
            }
            finally
            {
                if (File.Exists(temporary)) File.Delete(temporary);
            }
        }
        finally
        {
            Array.Clear(content);
        }
    }

    /// <summary>Reads a keypair from a key file.</summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">The file does not hold a private key; the message never quotes the content.</exception>
    public static MesaKeypair Read(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException(
                $"The key file '{path}' does not exist. Check the path, or make one with: New-MesaKeypair | Export-MesaKeypair -Path '{path}'.", path);
        }

        if (info.Length > MaxLength)
        {
            throw new InvalidDataException(
                $"The file '{path}' is not a mesa key file: it is {info.Length} bytes, and a key file holds only the 64 hex characters of a private key (as Export-MesaKeypair writes).");
        }

        var text = File.ReadAllText(path).Trim().TrimStart('\uFEFF');
        if (text.Length != MesaKeypair.KeySize * 2 || !IsHex(text))
        {
            throw new InvalidDataException(
                $"The file '{path}' is not a mesa key file: it must hold exactly 64 hex characters (the private key as Export-MesaKeypair writes it), and it holds {text.Length} characters{(IsHex(text) ? "" : " that are not all hex digits")}.");
        }

        return MesaKeypair.FromPrivateKeyHex(text);
    }

    /// <summary>True on Unix when group or others may read or write the file.</summary>
    public static bool IsReadableByOthers(string path, out UnixFileMode mode)
    {
        mode = default;
        if (OperatingSystem.IsWindows()) return false;
        mode = File.GetUnixFileMode(path);
        return (mode & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0;
    }

    private static void WriteNew(string path, byte[] content)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnly;
        using var stream = new FileStream(path, options);
        stream.Write(content);
        stream.Flush(flushToDisk: true);
    }

    private static bool IsHex(string text) => text.All(char.IsAsciiHexDigit);
}
