using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mesa.Client.Tests.Support;

/// <summary>
/// A raw HTTP/1.1 server on a loopback TcpListener for faults a real server will not produce: each request, once read
/// in full (headers and Content-Length body), is handed to a script that writes whatever bytes it likes and says
/// whether to keep the connection. Counts the requests and connections it received.
/// </summary>
public sealed class FaultServer : IAsyncDisposable
{
    /// <summary>Answers one request: writes to the stream; returns true to keep the connection for the next request.</summary>
    public delegate Task<bool> Script(int index, RecordedRequest request, NetworkStream stream, CancellationToken cancellationToken);

    private readonly TcpListener _listener;
    private readonly Script _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly List<Task> _connections = [];
    private int _requests;
    private int _connectionCount;

    private FaultServer(TcpListener listener, Script script)
    {
        _listener = listener;
        _script = script;
        BaseUri = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync();
    }

    public Uri BaseUri { get; }

    /// <summary>Requests received in full so far.</summary>
    public int RequestCount => Volatile.Read(ref _requests);

    /// <summary>TCP connections accepted so far.</summary>
    public int ConnectionCount => Volatile.Read(ref _connectionCount);

    /// <summary>Starts on a free loopback port, or on <paramref name="port"/> when given.</summary>
    public static FaultServer Start(Script script, int port = 0)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        return new FaultServer(listener, script);
    }

    /// <summary>Writes a complete response with a Content-Length body; keeps the connection.</summary>
    public static async Task<bool> Respond(NetworkStream stream, int status, string body, params string[] headers)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var head = new StringBuilder($"HTTP/1.1 {status} Status\r\nContent-Type: application/json\r\nContent-Length: {bytes.Length}\r\n");
        foreach (var header in headers) head.Append(header).Append("\r\n");
        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        await stream.WriteAsync(bytes);
        return true;
    }

    /// <summary>Writes raw bytes (a head with a lying Content-Length, a body cut short, ...).</summary>
    public static async Task Raw(NetworkStream stream, string text) => await stream.WriteAsync(Encoding.UTF8.GetBytes(text));

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try { await _accepting; } catch (Exception) { /* stopped */ }
        Task[] open;
        lock (_connections) open = [.. _connections];
        await Task.WhenAll(open.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }

            Interlocked.Increment(ref _connectionCount);
            lock (_connections) _connections.Add(ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var pending = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var request = await ReadRequestAsync(stream, pending, _stop.Token);
                if (request is null) return;
                var index = Interlocked.Increment(ref _requests) - 1;
                if (!await _script(index, request, stream, _stop.Token)) return;
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
        catch (IOException)
        {
            // The client went away (it stopped reading a long body, say): what some tests want.
        }
    }

    // Reads one request: the head up to the blank line, then Content-Length bytes. Null when the client closed.
    private static async Task<RecordedRequest?> ReadRequestAsync(NetworkStream stream, MemoryStream pending, CancellationToken cancellationToken)
    {
        var chunk = new byte[8192];
        int headEnd;
        while ((headEnd = IndexOfBlankLine(pending)) < 0)
        {
            var read = await stream.ReadAsync(chunk, cancellationToken);
            if (read == 0) return null;
            pending.Write(chunk, 0, read);
        }

        var all = pending.ToArray();
        var head = Encoding.ASCII.GetString(all, 0, headEnd);
        var lines = head.Split("\r\n");
        var requestLine = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon > 0) headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        var length = headers.TryGetValue("Content-Length", out var cl) ? int.Parse(cl, System.Globalization.CultureInfo.InvariantCulture) : 0;
        var bodyStart = headEnd + 4;
        while (all.Length - bodyStart < length)
        {
            var read = await stream.ReadAsync(chunk, cancellationToken);
            if (read == 0) return null;
            pending.Write(chunk, 0, read);
            all = pending.ToArray();
        }

        var body = Encoding.UTF8.GetString(all, bodyStart, length);
        pending.SetLength(0);
        pending.Write(all, bodyStart + length, all.Length - bodyStart - length); // a pipelined next request, if any
        return new RecordedRequest(requestLine[0], requestLine.Length > 1 ? requestLine[1] : "", headers, body);
    }

    private static int IndexOfBlankLine(MemoryStream pending)
    {
        var buffer = pending.GetBuffer();
        for (var i = 0; i + 3 < pending.Length; i++)
        {
            if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n') return i;
        }

        return -1;
    }
}
