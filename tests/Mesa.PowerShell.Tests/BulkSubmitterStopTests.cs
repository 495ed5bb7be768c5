using System.Text;
using Mesa.Client;
using Mesa.PowerShell.Bulk;

namespace Mesa.PowerShell.Tests;

/// <summary>The engine on a real journal file: envelopes that arrive after a stop are still accounted for.</summary>
public sealed class BulkSubmitterStopTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mesa-bulkstop-").FullName;

    [Fact]
    public void Envelopes_received_after_a_stop_are_journaled_as_not_sent()
    {
        var path = Path.Combine(_dir, "j.jsonl");
        // Nothing is sent in this test: the address is never contacted.
        using var client = new MesaClient(new MesaClientOptions { BaseUri = ClosedPort.NewUri(), Timeout = TimeSpan.FromSeconds(10) });
        var journal = SubmissionJournal.Open(path, client.BaseUri.AbsoluteUri);
        var envelopes = Enumerable.Range(0, 3)
            .Select(i => MesaEnvelope.Create("offer", "p1", new Dictionary<string, object?> { ["n"] = i }, deliberationId: "d1"))
            .ToArray();
        using (var engine = new BulkSubmitter(client, null, null, 2, journal, force: false, listen: false))
        {
            engine.Receive([envelopes[0]]);
            engine.Stop(TimeSpan.FromSeconds(1)); // as StopProcessing does, between two ProcessRecord calls
            engine.Receive([envelopes[1], envelopes[2]]);
            Assert.Null(engine.TakeNext());

            var summary = engine.Summary(stopped: true);
            Assert.Equal(3, summary.Received);
            Assert.Equal(3, summary.NotSent);
        }

        var lines = File.ReadAllLines(path, Encoding.UTF8);
        Assert.Equal(3, lines.Length);
        foreach (var envelope in envelopes)
        {
            var line = Assert.Single(lines, l => l.Contains($"\"envelope_id\":\"{envelope.Id}\"", StringComparison.Ordinal));
            Assert.Contains("\"outcome\":\"not_sent\"", line, StringComparison.Ordinal);
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
