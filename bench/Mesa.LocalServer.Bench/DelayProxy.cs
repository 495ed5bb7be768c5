using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Mesa.LocalServer.Bench;

/// <summary>
/// A TCP proxy on a free loopback port that holds every chunk coming back from the server for a fixed delay before
/// passing it on (requests go through at once): each request/response round trip takes that much longer, the way a
/// server far away (upstream's ~15 ms) does, while chunks in flight on other connections overlap freely.
/// </summary>
internal sealed class DelayProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _upstream;
    private readonly TimeSpan _delay;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public DelayProxy(Uri upstream, TimeSpan delay)
    {
        _upstream = new IPEndPoint(IPAddress.Parse(upstream.Host), upstream.Port);
        _delay = delay;
        _listener.Start();
        BaseUri = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync();
    }

    public Uri BaseUri { get; }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                client.NoDelay = true;
                server.NoDelay = true;
                await server.ConnectAsync(_upstream, _stop.Token);
                var toServer = PumpAsync(client.GetStream(), server.GetStream(), TimeSpan.Zero);
                var toClient = PumpAsync(server.GetStream(), client.GetStream(), _delay);
                await Task.WhenAny(toServer, toClient);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // a connection closed mid-way: the client sees it closed, as it would without the proxy
            }
        }
    }

    // Chunks are released at their arrival time plus the delay, in order: the delay is added once per chunk, not summed.
    private async Task PumpAsync(Stream from, Stream to, TimeSpan delay)
    {
        var chunks = Channel.CreateUnbounded<(byte[] Buffer, int Length, long Due)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var writer = Task.Run(async () =>
        {
            await foreach (var (buffer, length, due) in chunks.Reader.ReadAllAsync(_stop.Token))
            {
                var early = due - Stopwatch.GetTimestamp();
                if (early > 0) await Task.Delay(TimeSpan.FromSeconds((double)early / Stopwatch.Frequency), _stop.Token);
                await to.WriteAsync(buffer.AsMemory(0, length), _stop.Token);
                ArrayPool<byte>.Shared.Return(buffer);
            }
        });

        var delayTicks = (long)(delay.TotalSeconds * Stopwatch.Frequency);
        try
        {
            while (true)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
                var read = await from.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    break;
                }

                chunks.Writer.TryWrite((buffer, read, Stopwatch.GetTimestamp() + delayTicks));
            }
        }
        finally
        {
            chunks.Writer.TryComplete();
        }

        await writer;
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
