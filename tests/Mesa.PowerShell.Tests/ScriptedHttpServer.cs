using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mesa.PowerShell.Tests;

/// <summary>
/// A small HTTP/1.1 server on a loopback TcpListener whose answers come from a script (request number, method, path):
/// for faults the local server will not produce (503 then 200, not-mesa answers). Counts the requests it read.
/// </summary>
internal sealed class ScriptedHttpServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<int, string, string, (int Status, string Body)> _script;
    private readonly CancellationTokenSource _stop = new();
    private int _requests;

    public ScriptedHttpServer(Func<int, string, string, (int Status, string Body)> script)
    {
        _script = script;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Uri = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _ = AcceptAsync();
    }

    public Uri Uri { get; }

    public int RequestCount => Volatile.Read(ref _requests);

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
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

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            var reader = new StreamReader(stream, Encoding.ASCII, false, 1, leaveOpen: true);
            while (!_stop.IsCancellationRequested)
            {
                var requestLine = await reader.ReadLineAsync(_stop.Token);
                if (string.IsNullOrEmpty(requestLine)) return;
                var length = 0;
                string? line;
                while (!string.IsNullOrEmpty(line = await reader.ReadLineAsync(_stop.Token)))
                {
                    if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) length = int.Parse(line[15..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                }

                var body = new char[length]; // the bodies here are ASCII JSON: one char per byte
                for (var read = 0; read < length;)
                {
                    var n = await reader.ReadAsync(body.AsMemory(read), _stop.Token);
                    if (n == 0) return;
                    read += n;
                }

                var parts = requestLine.Split(' ');
                var (status, answer) = _script(Interlocked.Increment(ref _requests) - 1, parts[0], parts[1]);
                var bytes = Encoding.UTF8.GetBytes(answer);
                var head = $"HTTP/1.1 {status} Status\r\nContent-Type: application/json\r\nContent-Length: {bytes.Length}\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head), _stop.Token);
                await stream.WriteAsync(bytes, _stop.Token);
            }
        }
        catch (Exception)
        {
            // the client went away or the server stopped
        }
    }
}
