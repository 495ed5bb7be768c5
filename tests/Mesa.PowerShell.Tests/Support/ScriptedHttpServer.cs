using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mesa.PowerShell.Tests;

/// <summary>
/// A tiny HTTP/1.1 server on loopback that answers each request (numbered from 1, across connections) as a script
/// says: status, body and a delay. For faults and pacing a real server will not produce (503 then 201, slow answers,
/// answers that are not mesa answers).
/// </summary>
internal sealed class ScriptedHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<int, string, (int Status, string Body, TimeSpan Delay)> _answer;
    private readonly ConcurrentBag<TcpClient> _clients = new();
    private int _count, _inFlight, _maxInFlight;

    public ScriptedHttpServer(Func<int, string, (int Status, string Body, TimeSpan Delay)> answer)
    {
        _answer = answer;
        _listener.Start();
        Uri = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _ = Task.Run(AcceptAsync);
    }

    /// <summary>
    /// A server whose script sees the request number (from 0), the method and the path, and answers at once.
    /// </summary>
    public ScriptedHttpServer(Func<int, string, string, (int Status, string Body)> script)
        : this((n, request) =>
        {
            var line = request.Split('\n', 2)[0].Split(' ');
            var (status, body) = script(n - 1, line[0], line[1]);
            return (status, body, TimeSpan.Zero);
        })
    {
    }

    public Uri Uri { get; }

    /// <summary>Requests received so far.</summary>
    public int RequestCount => Volatile.Read(ref _count);

    /// <summary>The most requests that were being answered at the same moment.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>A commitment result body as the server answers a POST /commitments.</summary>
    public static string CommitmentBody(string id) =>
        $"{{\"id\":\"{id}\",\"type\":\"offer\",\"principal_id\":\"p1\",\"status\":\"active\",\"decision\":{{\"action\":\"allow\",\"applied\":[]}}}}";

    public void Dispose()
    {
        _listener.Stop();
        foreach (var client in _clients) client.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync();
                _clients.Add(client);
                _ = Task.Run(() => ServeAsync(client));
            }
        }
        catch (Exception ex) when (ex is ObjectDisposedException or SocketException)
        {
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            var stream = client.GetStream();
            var buffer = new List<byte>();
            var chunk = new byte[8192];
            while (true)
            {
                int headerEnd;
                while ((headerEnd = IndexOf(buffer, "\r\n\r\n"u8.ToArray())) < 0)
                {
                    var n = await stream.ReadAsync(chunk);
                    if (n == 0) return;
                    buffer.AddRange(chunk.AsSpan(0, n).ToArray());
                }

                var head = Encoding.ASCII.GetString(buffer.GetRange(0, headerEnd).ToArray());
                var length = 0;
                foreach (var line in head.Split("\r\n"))
                {
                    if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) length = int.Parse(line[15..].Trim());
                }

                while (buffer.Count < headerEnd + 4 + length)
                {
                    var n = await stream.ReadAsync(chunk);
                    if (n == 0) return;
                    buffer.AddRange(chunk.AsSpan(0, n).ToArray());
                }

                var body = Encoding.UTF8.GetString(buffer.GetRange(headerEnd + 4, length).ToArray());
                buffer.RemoveRange(0, headerEnd + 4 + length);
                var now = Interlocked.Increment(ref _inFlight);
                int seen;
                while (now > (seen = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen)
                {
                }

                var (status, answer, delay) = _answer(Interlocked.Increment(ref _count), head.Split(' ')[0] + " " + head.Split(' ')[1] + "\n" + body);
                // A slow server is the behaviour under test here (the script asks for it), not a wait for something.
                if (delay > TimeSpan.Zero) await Task.Delay(delay);
                var bytes = Encoding.UTF8.GetBytes(answer);
                var response = $"HTTP/1.1 {status} Scripted\r\nContent-Type: application/json\r\nContent-Length: {bytes.Length}\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(response));
                await stream.WriteAsync(bytes);
                Interlocked.Decrement(ref _inFlight);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException)
        {
        }
    }

    private static int IndexOf(List<byte> haystack, byte[] needle)
    {
        for (var i = 0; i + needle.Length <= haystack.Count; i++)
        {
            var match = true;
            for (var j = 0; j < needle.Length && match; j++) match = haystack[i + j] == needle[j];
            if (match) return i;
        }

        return -1;
    }
}
