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

    [Fact]
    public void A_stop_does_not_journal_as_not_sent_what_an_earlier_run_landed_or_lost()
    {
        var path = Path.Combine(_dir, "resume.jsonl");
        using var client = new MesaClient(new MesaClientOptions { BaseUri = ClosedPort.NewUri(), Timeout = TimeSpan.FromSeconds(10) });
        var server = client.BaseUri.AbsoluteUri;
        var envelopes = Enumerable.Range(0, 3)
            .Select(i => MesaEnvelope.Create("offer", "p1", new Dictionary<string, object?> { ["n"] = i }, deliberationId: "d1"))
            .ToArray();
        using (var earlier = SubmissionJournal.Open(path, server))
        {
            earlier.Append(new JournalEntry { EnvelopeId = envelopes[0].Id, Outcome = JournalOutcome.Landed, Time = DateTimeOffset.UtcNow, Server = server, CommitmentId = "c1", Status = "active", Action = "allow" });
            earlier.Append(new JournalEntry { EnvelopeId = envelopes[1].Id, Outcome = JournalOutcome.Unknown, Time = DateTimeOffset.UtcNow, Server = server, Reason = "timed out" });
        }

        // A resume stopped before it reached any of them (an array is received at once).
        using (var engine = new BulkSubmitter(client, null, null, 2, SubmissionJournal.Open(path, server), force: true, listen: false))
        {
            engine.Receive(envelopes);
            engine.Stop(TimeSpan.FromSeconds(1));
        }

        using var reopened = SubmissionJournal.Open(path, server);
        Assert.Equal(JournalOutcome.Landed, reopened.Latest(envelopes[0].Id)!.Outcome);
        Assert.Equal("c1", reopened.Latest(envelopes[0].Id)!.CommitmentId);
        Assert.Equal(JournalOutcome.Unknown, reopened.Latest(envelopes[1].Id)!.Outcome);
        Assert.Equal(JournalOutcome.NotSent, reopened.Latest(envelopes[2].Id)!.Outcome);
        Assert.Equal(3, reopened.LineCount);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
