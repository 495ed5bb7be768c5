using System.Management.Automation;
using Mesa.Client;
using Mesa.PowerShell.Bulk;

namespace Mesa.PowerShell.Tests;

/// <summary>
/// Submit-MesaCommitment in bulk against the bundled server as a real process: order at -ThrottleLimit 8, a blocked
/// envelope in its place, the journal's resume and its refusals, and a stop at about half.
/// </summary>
public sealed class BulkSubmissionTests : IClassFixture<BulkServerFixture>, IDisposable
{
    private readonly BulkServerFixture _server;
    private readonly string _dir = Directory.CreateTempSubdirectory("mesa-bulk-").FullName;

    public BulkSubmissionTests(BulkServerFixture server) => _server = server;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Outputs_come_in_input_order_at_ThrottleLimit_8()
    {
        using var session = _server.Connect();
        var ids = BulkTestData.MakeEnvelopes(session, 500);

        var piped = session.Run("$envs | Submit-MesaCommitment -ThrottleLimit 8").AssertNoErrors();
        Assert.Equal(ids, piped.Output.Select(o => (string)o.Properties["EnvelopeId"].Value));
        Assert.All(piped.Output, o => Assert.Contains(TypeNames.Commitment, o.TypeNames));

        var bound = session.Run("Submit-MesaCommitment -Envelope $envs -ThrottleLimit 8").AssertNoErrors();
        Assert.Equal(ids, bound.Output.Select(o => (string)o.Properties["EnvelopeId"].Value));

        // Each run stored every envelope once: 1000 commitments, two per summary.
        var stored = BulkTestData.StoredCommitments(session);
        Assert.Equal(1000, stored.Count);
        Assert.All(stored.GroupBy(c => c.Summary), g => Assert.Equal(2, g.Count()));
    }

    [Fact]
    public void A_blocked_envelope_among_500_at_ThrottleLimit_8_is_one_error_in_its_place()
    {
        using var session = _server.Connect();
        var ids = BulkTestData.MakeEnvelopes(session, 500, 250);

        // 2>&1 merges errors into the output in the order they were written.
        var merged = session.Run("Submit-MesaCommitment -Envelope $envs -ThrottleLimit 8 2>&1").Output;
        Assert.Equal(500, merged.Count);
        var errors = merged.Select((o, i) => (Item: o.BaseObject, Index: i)).Where(x => x.Item is ErrorRecord).ToList();
        var error = Assert.Single(errors);
        Assert.Equal(249, error.Index);
        var record = (ErrorRecord)error.Item;
        Assert.Equal("policy_blocked,Mesa.PowerShell.Commands.SubmitMesaCommitmentCommand", record.FullyQualifiedErrorId);
        Assert.Equal(ids[249], BulkTestData.TargetId(record));
        Assert.IsType<MesaForbiddenException>(record.Exception);

        var outputs = merged.Where(o => o.BaseObject is not ErrorRecord).Select(o => (string)o.Properties["EnvelopeId"].Value).ToList();
        Assert.Equal(499, outputs.Count);
        Assert.Equal(ids.Where((_, i) => i != 249), outputs);
        Assert.Equal(499, BulkTestData.StoredCommitments(session).Count);
    }

    [Fact]
    public void A_rerun_with_the_journal_skips_what_landed_and_refuses_an_unknown_one_without_Force()
    {
        using var session = _server.Connect();
        var ids = BulkTestData.MakeEnvelopes(session, 10, 7);
        var journal = Path.Combine(_dir, "resume.jsonl");

        var first = session.Run("Submit-MesaCommitment -Envelope $envs -ThrottleLimit 4 -JournalPath $j", ("j", journal));
        Assert.Equal(9, first.Output.Count);
        Assert.Equal("policy_blocked,Mesa.PowerShell.Commands.SubmitMesaCommitmentCommand", Assert.Single(first.Errors).FullyQualifiedErrorId);
        var lines = BulkTestData.ReadJournal(journal);
        Assert.Equal(10, lines.Count);
        var refused = Assert.Single(lines, l => l.Outcome == JournalOutcome.Refused);
        Assert.Equal((ids[6], 403, "policy_blocked"), (refused.EnvelopeId, refused.HttpStatus!.Value, refused.Code!));
        var stored = BulkTestData.StoredCommitments(session);
        Assert.All(lines.Where(l => l.Outcome == JournalOutcome.Landed), l => Assert.Contains(stored, c => c.Id == l.CommitmentId));

        // As if an earlier run had lost the answer for envelope 3: its latest line says unknown.
        var uri = session.RunSingle("$conn.Uri.AbsoluteUri").BaseObject.ToString()!;
        File.AppendAllText(journal, new JournalEntry
        {
            EnvelopeId = ids[2], Outcome = JournalOutcome.Unknown, Time = DateTimeOffset.UtcNow, Server = uri,
        }.ToString() + "\n");

        var deal = session.RunSingle("$deal.Id").BaseObject.ToString()!;
        using var ps = session.CreatePipeline();
        ps.AddScript("Submit-MesaCommitment -Envelope $envs -JournalPath $j -Verbose").AddParameter("j", journal);
        ps.Runspace.SessionStateProxy.SetVariable("j", journal);
        var second = ps.Invoke();
        // Only the blocked one was sent again (and blocked again); nothing else came out.
        Assert.Empty(second);
        Assert.Equal(2, ps.Streams.Error.Count);
        var unknown = Assert.Single(ps.Streams.Error, e => e.FullyQualifiedErrorId.StartsWith("OutcomeUnknownInJournal,", StringComparison.Ordinal));
        Assert.Equal(ids[2], BulkTestData.TargetId(unknown));
        Assert.Contains(deal, unknown.Exception.Message);
        Assert.Contains("-Force", unknown.Exception.Message);
        Assert.Single(ps.Streams.Error, e => e.FullyQualifiedErrorId.StartsWith("policy_blocked,", StringComparison.Ordinal));
        Assert.Equal(8, ps.Streams.Verbose.Count(v => v.Message.Contains("skipped: the journal records it as landed")));
        var summary = (BulkSummary)Assert.Single(ps.Streams.Information, i => i.Tags.Contains("MesaSummary")).MessageData;
        Assert.Equal((10, 8, 1, 1, 0), (summary.Received, summary.Skipped, summary.Unknown, summary.Refused, summary.Landed));
        Assert.Equal(9, BulkTestData.StoredCommitments(session).Count);

        // -Force sends the unknown one again.
        var forced = session.Run("Submit-MesaCommitment -Envelope $envs -JournalPath $j -Force", ("j", journal));
        Assert.Equal(ids[2], Assert.Single(forced.Output).Properties["EnvelopeId"].Value);
        Assert.Equal(10, BulkTestData.StoredCommitments(session).Count);
        Assert.Equal(JournalOutcome.Landed, BulkTestData.Latest(BulkTestData.ReadJournal(journal))[ids[2]].Outcome);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    public void With_a_journal_an_envelope_given_twice_in_one_run_is_sent_once_and_each_copy_is_an_error_in_its_place(int throttleLimit)
    {
        using var session = _server.Connect();
        var ids = BulkTestData.MakeEnvelopes(session, 50);
        var journal = Path.Combine(_dir, $"twice-{throttleLimit}.jsonl");

        // Envelope 11 again right behind itself (still in flight at -ThrottleLimit 8), envelope 1 again at the end
        // (landed long before): both copies are refused the same way, whatever the timing.
        var merged = session.Run(
            "@($envs[0..10]) + $envs[10] + @($envs[11..49]) + $envs[0] | Submit-MesaCommitment -ThrottleLimit $n -JournalPath $j 2>&1",
            ("n", throttleLimit), ("j", journal)).Output;

        Assert.Equal(52, merged.Count);
        var errors = merged.Select((o, i) => (Item: o.BaseObject as ErrorRecord, Index: i)).Where(x => x.Item is not null).ToList();
        Assert.Equal(new[] { 11, 51 }, errors.Select(e => e.Index));
        Assert.All(errors, e => Assert.Equal("DuplicateEnvelope,Mesa.PowerShell.Commands.SubmitMesaCommitmentCommand", e.Item!.FullyQualifiedErrorId));
        Assert.Equal(new[] { ids[10], ids[0] }, errors.Select(e => BulkTestData.TargetId(e.Item!)));
        Assert.Contains("only its first copy was sent", errors[0].Item!.Exception.Message);
        Assert.Contains(journal, errors[0].Item!.Exception.Message);

        var stored = BulkTestData.StoredCommitments(session);
        Assert.Equal(50, stored.Count);
        Assert.All(stored.GroupBy(c => c.Summary), g => Assert.Single(g));
        var lines = BulkTestData.ReadJournal(journal);
        Assert.Equal(50, lines.Count);
        Assert.All(lines, l => Assert.Equal(JournalOutcome.Landed, l.Outcome));
    }

    [Fact]
    public void A_corrupt_journal_or_one_of_another_server_stops_the_run_before_anything_is_sent()
    {
        using var session = _server.Connect();
        BulkTestData.MakeEnvelopes(session, 3);
        var uri = session.RunSingle("$conn.Uri.AbsoluteUri").BaseObject.ToString()!;
        var line = new JournalEntry { EnvelopeId = "evt_x", Outcome = JournalOutcome.Landed, Time = DateTimeOffset.UtcNow, Server = uri }.ToString();

        var corrupt = Path.Combine(_dir, "corrupt.jsonl");
        File.WriteAllText(corrupt, line + "\n{\"envelope_id\": 42}\n" + line + "\n");
        var error = session.RunFailing("Submit-MesaCommitment -Envelope $envs -ThrottleLimit 4 -JournalPath $j", ("j", corrupt));
        Assert.Equal("JournalCorrupt,Mesa.PowerShell.Commands.SubmitMesaCommitmentCommand", error.FullyQualifiedErrorId);
        Assert.Contains("line 2", error.Exception.Message);

        var other = Path.Combine(_dir, "other.jsonl");
        File.WriteAllText(other, line.Replace(uri, "http://127.0.0.1:1/") + "\n");
        error = session.RunFailing("Submit-MesaCommitment -Envelope $envs -JournalPath $j", ("j", other));
        Assert.Equal("JournalServerMismatch,Mesa.PowerShell.Commands.SubmitMesaCommitmentCommand", error.FullyQualifiedErrorId);
        Assert.Contains("http://127.0.0.1:1/", error.Exception.Message);

        Assert.Empty(BulkTestData.StoredCommitments(session));
        Assert.Equal(3, File.ReadAllLines(corrupt).Length);
        Assert.Single(File.ReadAllLines(other));
    }

    [Fact]
    public void A_stop_at_about_half_accounts_for_every_envelope_and_releases_the_journal_to_another_runspace()
    {
        using var session = _server.Connect();
        var ids = BulkTestData.MakeEnvelopes(session, 3000);
        var journal = Path.Combine(_dir, "stop.jsonl");
        var envelopes = session.Run("$envs").Output.Select(o => (MesaEnvelope)o.BaseObject).ToArray();
        using var other = _server.Connect();
        other.Run("$global:envs = $e; $global:deal = $d", ("e", envelopes), ("d", session.RunSingle("$deal").BaseObject)).AssertNoErrors();

        using var ps = session.CreatePipeline();
        ps.AddCommand("Submit-MesaCommitment").AddParameter("Envelope", envelopes)
            .AddParameter("ThrottleLimit", 4).AddParameter("JournalPath", journal);
        var pending = ps.BeginInvoke();
        Assert.True(SpinWait.SpinUntil(() => BulkTestData.CountLines(journal) >= 100 || pending.IsCompleted, TimeSpan.FromMinutes(2)), "the run never got going");

        // Held by the running submission: another runspace is refused.
        var busy = other.RunFailing("Submit-MesaCommitment -Envelope $envs -JournalPath $j", ("j", journal));
        Assert.Equal("JournalInUse,Mesa.PowerShell.Commands.SubmitMesaCommitmentCommand", busy.FullyQualifiedErrorId);

        Assert.True(SpinWait.SpinUntil(() => BulkTestData.CountLines(journal) >= 1500 || pending.IsCompleted, TimeSpan.FromMinutes(2)), "the run never got to half");
        Assert.False(pending.IsCompleted, "the run finished before it could be stopped; the test needs a slower run");
        Assert.True(Task.Run(ps.Stop).Wait(TimeSpan.FromSeconds(60)), "Stop did not return");
        Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);

        // Every envelope is in the journal; the landed ones are on the server, exactly the landed ones.
        var latest = BulkTestData.Latest(BulkTestData.ReadJournal(journal));
        Assert.Equal(ids.OrderBy(i => i), latest.Keys.OrderBy(i => i));
        var landed = latest.Values.Where(e => e.Outcome == JournalOutcome.Landed).ToList();
        Assert.InRange(landed.Count, 1500, 2999);
        Assert.Contains(latest.Values, e => e.Outcome == JournalOutcome.NotSent);
        Assert.DoesNotContain(latest.Values, e => e.Outcome is JournalOutcome.Refused or JournalOutcome.Unknown);
        var stored = BulkTestData.StoredCommitments(session);
        Assert.Equal(landed.Select(e => e.CommitmentId).OrderBy(i => i), stored.Select(c => c.Id).OrderBy(i => i));

        // The lock went with the stopped run: the other runspace resumes, sending only what had not landed.
        var resumed = other.Run("Submit-MesaCommitment -Envelope $envs -ThrottleLimit 4 -JournalPath $j", ("j", journal)).AssertNoErrors();
        Assert.Equal(3000 - landed.Count, resumed.Output.Count);
        stored = BulkTestData.StoredCommitments(session);
        Assert.Equal(3000, stored.Count);
        Assert.All(stored.GroupBy(c => c.Summary), g => Assert.Single(g));
    }
}
