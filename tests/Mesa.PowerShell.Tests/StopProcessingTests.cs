using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using Mesa.Client;

namespace Mesa.PowerShell.Tests;

/// <summary>
/// Ctrl+C (a pipeline stop) must cancel the request in flight rather than wait for it. The server accepts the
/// connection and never answers, and the client's timeout is ten minutes: a stop that did not cancel the request
/// would hang until then, so the generous 30-second bound below tells "cancelled" from "waited", not fast from slow.
/// </summary>
public sealed class StopProcessingTests
{
    [Fact]
    public void Stopping_the_pipeline_cancels_the_request_in_flight()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var held = new System.Collections.Concurrent.ConcurrentBag<TcpClient>();
        _ = Task.Run(async () =>
        {
            try
            {
                while (true) held.Add(await silent.AcceptTcpClientAsync());
            }
            catch (ObjectDisposedException)
            {
            }
            catch (SocketException)
            {
            }
        });

        var connection = new MesaConnection(
            new MesaClient(new MesaClientOptions { BaseUri = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromMinutes(10) }),
            DateTimeOffset.UtcNow, "ok");
        using var session = new PowerShellSession();
        using var ps = session.CreatePipeline();
        try
        {
            ps.AddCommand("Get-MesaPrincipal").AddParameter("Connection", connection);
            var pending = ps.BeginInvoke();
            Assert.True(SpinWait.SpinUntil(() => !held.IsEmpty, TimeSpan.FromSeconds(30)), "the request never reached the silent server");
            Assert.True(Task.Run(ps.Stop).Wait(TimeSpan.FromSeconds(30)), "Stop waited for the request instead of cancelling it");

            Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
            Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(pending));
            Assert.DoesNotContain(ps.Streams.Error, e => e.Exception is MesaException);
        }
        finally
        {
            // Disposing the client aborts a request that is still pending, so even a failing run ends at once.
            connection.Dispose();
            foreach (var client in held) client.Dispose();
        }
    }
}
