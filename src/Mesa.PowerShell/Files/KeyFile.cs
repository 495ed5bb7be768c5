using System.Text;
using Mesa.Client;

namespace Mesa.PowerShell.Infrastructure;

/// <summary>
/// Reads and writes key files. A key file names its format on its first line, with the public key, and holds the
/// private seed on the second, so that a seed is never mistaken for a public key (both are 64 hex characters):
/// <code>
/// mesa-ed25519-seed-v1 public=&lt;64 hex public key&gt;
/// &lt;64 hex seed&gt;
/// </code>
/// Files of earlier versions (the bare seed line alone) are still read. On Unix a new file is created owner-only
/// (0600) from its first byte, so there is never a moment when others could read it.
/// </summary>
internal static class KeyFile
{
    /// <summary>The format name on a key file's first line.</summary>
    public const string Format = "mesa-ed25519-seed-v1";

    /// <summary>A key file is two short lines; anything much larger is not one.</summary>
    private const int MaxLength = 1024;

    private const string PublicPrefix = Format + " public=";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Writes the keypair's seed to <paramref name="path"/>.</summary>
    /// <exception cref="IOException">The file exists and <paramref name="overwrite"/> is false, or the write failed.</exception>
    public static void Write(MesaKeypair keypair, string path, bool overwrite)
    {
        var content = Encoding.ASCII.GetBytes($"{PublicPrefix}{keypair.PublicKeyHex}\n{keypair.ExportPrivateKeyHex()}\n");
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

    /// <summary>Reads a keypair from a key file (this format, or a bare seed line as earlier versions wrote).</summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">
    /// The file does not hold a private key, or its recorded public key is not its seed's; the message never quotes
    /// the seed.
    /// </exception>
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
                $"The file '{path}' is not a mesa key file: it is {info.Length} bytes, and a key file holds only a format line and the 64 hex characters of a private key (as Export-MesaKeypair writes).");
        }

        var lines = File.ReadAllText(path).TrimStart('\uFEFF')
            .Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        string seed;
        string? recordedPublic = null;
        if (lines.Length == 2 && lines[0].StartsWith(PublicPrefix, StringComparison.Ordinal))
        {
            recordedPublic = lines[0][PublicPrefix.Length..];
            if (recordedPublic.Length != MesaKeypair.KeySize * 2 || !IsHex(recordedPublic))
            {
                throw new InvalidDataException(
                    $"The key file '{path}' is damaged: its first line must be '{PublicPrefix}' and the 64 hex characters of the public key, and the key there is {recordedPublic.Length} characters{(IsHex(recordedPublic) ? "" : " that are not all hex digits")}.");
            }

            seed = lines[1];
        }
        else if (lines.Length == 1 && !lines[0].StartsWith("mesa-", StringComparison.Ordinal))
        {
            seed = lines[0]; // a bare seed, as versions before the format line wrote
        }
        else
        {
            var first = lines.Length == 0 ? "" : lines[0];
            // Quote the format token only: it is no secret, and anything else on the line might be.
            var token = first.Split(' ')[0];
            var format = token.StartsWith("mesa-", StringComparison.Ordinal) && token.Length <= 40 && token != Format && token.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
                ? $" It names the format '{token}', and this module reads '{Format}'."
                : "";
            throw new InvalidDataException(
                $"The file '{path}' is not a mesa key file: it must hold the line '{PublicPrefix}<public key>' and then the 64 hex characters of the private key, as Export-MesaKeypair writes (or that private key line alone), and it holds {lines.Length} non-empty lines.{format}");
        }

        if (seed.Length != MesaKeypair.KeySize * 2 || !IsHex(seed))
        {
            throw new InvalidDataException(
                $"The file '{path}' is not a mesa key file: the private key must be exactly 64 hex characters (as Export-MesaKeypair writes it), and it holds {seed.Length} characters{(IsHex(seed) ? "" : " that are not all hex digits")}.");
        }

        var keypair = MesaKeypair.FromPrivateKeyHex(seed);
        if (recordedPublic is not null && !string.Equals(recordedPublic, keypair.PublicKeyHex, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException(
                $"The key file '{path}' records the public key {recordedPublic.ToLowerInvariant()}, but its private key belongs to the public key {keypair.PublicKeyHex}: " +
                "the file was edited or put together from two keys. Restore it from where it was exported, or export the keypair again.");
        }

        return keypair;
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
