using System.Net;
using System.Net.Sockets;
using Mesa.Client;
using Mesa.PowerShell.Bulk;

namespace Mesa.PowerShell.Tests;

/// <summary>
/// What the journal calls a failure, from real failures on loopback: refused before connecting is <c>not_sent</c>;
/// a connection dropped after the request was read is <c>unknown</c> (the server may have stored it); an answer is <c>refused</c>.
/// </summary>
public sealed class OutcomeClassifierTests
{
    private static readonly MesaEnvelope Envelope =
        MesaEnvelope.Create("offer", "p1", new Dictionary<string, object?> { ["summary"] = "s" }, deliberationId: "d1").WithSignature(new string('a', 128));

    private static async Task<Exception> FailureAgainst(Uri uri)
    {
        using var client = new MesaClient(new MesaClientOptions { BaseUri = uri, Timeout = TimeSpan.FromSeconds(20) });
        return await Assert.ThrowsAnyAsync<Exception>(() => client.SubmitCommitmentAsync(Envelope));
    }

    [Fact]
    public async Task A_connection_refused_is_not_sent()
    {
        var error = await FailureAgainst(ClosedPort.NewUri());
        Assert.Equal(JournalOutcome.NotSent, OutcomeClassifier.Classify(error));
    }

    [Fact]
    public async Task A_connection_dropped_after_the_request_was_read_is_unknown()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var dropper = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync();
            var buffer = new byte[65536];
            var text = "";
            while (!text.Contains("\"summary\"", StringComparison.Ordinal))
            {
                var n = await socket.ReceiveAsync(buffer);
                if (n == 0) break;
                text += System.Text.Encoding.UTF8.GetString(buffer, 0, n);
            }

            socket.LingerState = new LingerOption(true, 0); // a reset, as a server killed mid-request
        });
        var error = await FailureAgainst(new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/"));
        await dropper;
        Assert.Equal(JournalOutcome.Unknown, OutcomeClassifier.Classify(error));
    }

    [Fact]
    public async Task An_answer_is_refused_and_a_local_failure_is_not_sent()
    {
        using var server = new ScriptedHttpServer((_, _) => (503, "{\"detail\":\"busy\"}", TimeSpan.Zero));
        Assert.Equal(JournalOutcome.Refused, OutcomeClassifier.Classify(await FailureAgainst(server.Uri)));
        Assert.Equal(JournalOutcome.NotSent, OutcomeClassifier.Classify(new InvalidOperationException("no keypair")));
        Assert.Equal(JournalOutcome.Unknown, OutcomeClassifier.Classify(new MesaOutcomeUnknownException("lost")));
    }
}
