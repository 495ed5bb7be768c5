using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Mesa.LocalServer.Tests.Support;

/// <summary>
/// HTTP/1.1 over a plain socket, for what HttpClient will not send: a request target kept byte for byte (no dot-segment
/// removal), an absurd Content-Length, a body dribbled slowly or cut short. One request per connection.
/// </summary>
public static class RawHttp
{
    /// <summary>A parsed answer: status, headers (lower-case names) and body text.</summary>
    public sealed record Answer(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
    {
        public JsonElement Json
        {
            get
            {
                using var document = JsonDocument.Parse(Body);
                return document.RootElement.Clone();
            }
        }
    }

    /// <summary>Sends <paramref name="head"/> (request line and headers, without the blank line) and then <paramref name="body"/>.</summary>
    public static async Task<Answer> SendAsync(Uri server, string head, byte[]? body = null, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port, cts.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head + "\r\n\r\n"), cts.Token);
        if (body is not null)
        {
            try
            {
                await stream.WriteAsync(body, cts.Token);
            }
            catch (IOException)
            {
                // The server answered early and closed; the answer is still readable.
            }
        }

        return await ReadAnswerAsync(stream, cts.Token);
    }

    /// <summary>Reads one answer (Content-Length framed, or until the connection closes).</summary>
    public static async Task<Answer> ReadAnswerAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int headerEnd;
        while ((headerEnd = IndexOf(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), "\r\n\r\n"u8)) < 0)
        {
            var n = await ReadSomeAsync(stream, chunk, cancellationToken);
            if (n == 0) throw new IOException($"The connection closed before a full answer: '{Encoding.UTF8.GetString(buffer.ToArray())}'.");
            buffer.Write(chunk, 0, n);
        }

        var all = buffer.ToArray();
        var headText = Encoding.ASCII.GetString(all, 0, headerEnd);
        var lines = headText.Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1]);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        var body = new MemoryStream();
        body.Write(all, headerEnd + 4, all.Length - headerEnd - 4);
        if (headers.TryGetValue("content-length", out var lengthText))
        {
            var length = int.Parse(lengthText);
            while (body.Length < length)
            {
                var n = await ReadSomeAsync(stream, chunk, cancellationToken);
                if (n == 0) break;
                body.Write(chunk, 0, n);
            }
        }

        return new Answer(status, headers, Encoding.UTF8.GetString(body.ToArray()));
    }

    private static async Task<int> ReadSomeAsync(NetworkStream stream, byte[] chunk, CancellationToken cancellationToken)
    {
        try
        {
            return await stream.ReadAsync(chunk, cancellationToken);
        }
        catch (IOException)
        {
            return 0; // reset after the answer
        }
    }

    private static int IndexOf(ReadOnlySpan<byte> haystack, ReadOnlySpan<byte> needle) => haystack.IndexOf(needle);
}
