using System.Security.Cryptography;

namespace Mesa.Client;

/// <summary>
/// Default envelope ids like the reference SDK's: <c>evt_</c> + the 32 lowercase hex digits of a random (version 4)
/// UUID. Random bytes come from the OS CSPRNG in batches per thread, because one system call per id (as
/// <see cref="Guid.NewGuid"/> makes) costs more than canonicalising the whole envelope.
/// </summary>
internal static class EnvelopeIds
{
    private const int IdBytes = 16;
    private const int BatchIds = 64;

    [ThreadStatic]
    private static byte[]? t_batch;

    [ThreadStatic]
    private static int t_used;

    public static string Next()
    {
        var batch = t_batch;
        if (batch is null || t_used == BatchIds)
        {
            batch = t_batch ??= new byte[IdBytes * BatchIds];
            RandomNumberGenerator.Fill(batch);
            t_used = 0;
        }

        var offset = t_used++ * IdBytes;
        batch[offset + 6] = (byte)((batch[offset + 6] & 0x0F) | 0x40); // version 4
        batch[offset + 8] = (byte)((batch[offset + 8] & 0x3F) | 0x80); // RFC 4122 variant
        var id = string.Create(4 + IdBytes * 2, (batch, offset), static (span, state) =>
        {
            "evt_".CopyTo(span);
            Convert.TryToHexStringLower(state.batch.AsSpan(state.offset, IdBytes), span[4..], out _);
        });
        batch.AsSpan(offset, IdBytes).Clear(); // used ids leave no trace in the batch
        return id;
    }
}
