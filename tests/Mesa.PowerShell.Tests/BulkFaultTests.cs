using System.Collections.Concurrent;
using System.Diagnostics;
using System.Management.Automation;
using Mesa.Client;
using Mesa.PowerShell.Bulk;

namespace Mesa.PowerShell.Tests;

/// <summary>
/// Submit-MesaCommitment in bulk against a scripted HTTP server on loopback: how many requests are in flight, signing
/// on the workers, request logs, progress and summary, -WhatIf, and retries (503 then 201).
/// </summary>
public sealed class BulkFaultTests
{
    private static MesaConnection ConnectionTo(ScriptedHttpServer server, MesaRetryOptions? retry = null) =>
        new(new MesaClient(new MesaClientOptions { BaseUri = server.Uri, Timeout = TimeSpan.FromSeconds(30), Retry = retry ?? MesaRetryOptions.None }), DateTimeOffset.UtcNow, "ok");

    private static PowerShellSession SessionWithUnsignedEnvelopes(int count, MesaConnection connection)
    {
        var session = new PowerShellSession();
        session.Run("""
            $global:kp = New-MesaKeypair
            $global:c = $connection
            $global:envs = [Mesa.Client.MesaEnvelope[]]@(1..$count | ForEach-Object {
                New-MesaEnvelope -Type offer -EmittedBy 'p1' -DeliberationId 'dlb-1' -Payload @{ summary = "item $_"; terms = @{ price = $_ } }
            })
            """, ("count", count), ("connection", connection)).AssertNoErrors();
        return session;
    }

    [Fact]
    public void At_most_ThrottleLimit_requests_are_in_flight_and_workers_sign_what_they_send()
    {
        var bodies = new ConcurrentQueue<string>();
        using var server = new ScriptedHttpServer((n, request) =>
        {
            bodies.Enqueue(request[(request.IndexOf('\n') + 1)..]);
            return (201, ScriptedHttpServer.CommitmentBody("c" + n), TimeSpan.FromMilliseconds(40));
        });
        using var connection = ConnectionTo(server);
        using var session = SessionWithUnsignedEnvelopes(40, connection);

        using var ps = session.CreatePipeline();
        ps.AddScript("Submit-MesaCommitment -Envelope $envs -Keypair $kp -ThrottleLimit 4 -Connection $c -Verbose");
        var output = ps.Invoke();

        Assert.Empty(ps.Streams.Error);
        Assert.Equal(40, output.Count);
        Assert.Equal(session.Run("$envs.Id").Output.Select(o => o.ToString()), output.Select(o => (string)o.Properties["EnvelopeId"].Value));
        Assert.Equal(40, server.RequestCount);
        Assert.InRange(server.MaxInFlight, 2, 4);

        // Every request carried an envelope signed with the keypair; each request's log line came out (on the pipeline thread).
        var publicKey = session.RunSingle("$kp.PublicKeyHex").BaseObject.ToString()!;
        Assert.All(bodies, body => Assert.True(MesaEnvelope.FromJson(body).Verify(publicKey), "an envelope was not signed with -Keypair"));
        Assert.Equal(40, ps.Streams.Verbose.Count(v => v.Message.StartsWith("POST " + server.Uri + "commitments -> 201", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_bulk_run_shows_throttled_progress_and_ends_with_one_summary()
    {
        using var server = new ScriptedHttpServer((n, _) => (201, ScriptedHttpServer.CommitmentBody("c" + n), TimeSpan.FromMilliseconds(60)));
        using var connection = ConnectionTo(server);
        using var session = SessionWithUnsignedEnvelopes(16, connection);

        using var ps = session.CreatePipeline();
        ps.AddScript("$ProgressPreference = 'Continue'; Submit-MesaCommitment -Envelope $envs -Keypair $kp -Connection $c");
        var watch = Stopwatch.StartNew();
        Assert.Equal(16, ps.Invoke().Count);
        var seconds = watch.Elapsed.TotalSeconds;

        var progress = ps.Streams.Progress.ToList();
        Assert.True(progress.Count >= 2, $"expected progress records over a {seconds:0.0} s run, got {progress.Count}");
        Assert.InRange(progress.Count, 2, (int)(seconds * 4) + 2);
        Assert.Equal(ProgressRecordType.Completed, progress[^1].RecordType);
        var running = progress.Where(p => p.RecordType == ProgressRecordType.Processing).ToList();
        Assert.All(running, p => Assert.Matches(@"^\d+ of 16 envelopes, \d+\.\d/s$", p.StatusDescription));
        Assert.All(running, p => Assert.InRange(p.PercentComplete, 0, 100));
        Assert.Contains(running, p => p.SecondsRemaining > 0);

        var info = Assert.Single(ps.Streams.Information);
        Assert.Contains("MesaSummary", info.Tags);
        var summary = Assert.IsType<BulkSummary>(info.MessageData);
        Assert.Equal((16, 16, 0, 0, 0, 0), (summary.Received, summary.Active, summary.Refused, summary.Unknown, summary.NotSent, summary.Skipped));
        Assert.True(summary.RatePerSecond > 0);
        Assert.StartsWith("16 envelopes in ", summary.ToString());
        Assert.Contains("16 active, 0 flagged, 0 refused", summary.ToString());

        // Silent under SilentlyContinue; and a run of one envelope has no summary.
        using var quiet = session.CreatePipeline();
        quiet.AddScript("$ProgressPreference = 'SilentlyContinue'; Submit-MesaCommitment -Envelope $envs -Keypair $kp -Connection $c; $envs[0] | Submit-MesaCommitment -Keypair $kp -Connection $c");
        Assert.Equal(17, quiet.Invoke().Count);
        Assert.Empty(quiet.Streams.Progress);
        Assert.Single(quiet.Streams.Information);
    }

    [Fact]
    public void WhatIf_at_ThrottleLimit_8_sends_nothing_and_journals_nothing()
    {
        using var server = new ScriptedHttpServer((n, _) => (201, ScriptedHttpServer.CommitmentBody("c" + n), TimeSpan.Zero));
        using var connection = ConnectionTo(server);
        using var session = SessionWithUnsignedEnvelopes(20, connection);
        var journal = Path.Combine(Path.GetTempPath(), $"mesa-whatif-{Guid.NewGuid():N}.jsonl");
        try
        {
            var result = session.Run("Submit-MesaCommitment -Envelope $envs -Keypair $kp -ThrottleLimit 8 -Connection $c -JournalPath $j -WhatIf", ("j", journal));
            Assert.Empty(result.Output);
            Assert.Empty(result.Errors);
            Assert.Equal(0, server.RequestCount);
            Assert.False(File.Exists(journal), "-WhatIf created the journal");
        }
        finally
        {
            File.Delete(journal);
            File.Delete(journal + ".lock");
        }
    }

    [Fact]
    public void Unsigned_envelopes_without_a_keypair_are_refused_in_their_place_and_journaled_as_not_sent()
    {
        using var server = new ScriptedHttpServer((n, _) => (201, ScriptedHttpServer.CommitmentBody("c" + n), TimeSpan.FromMilliseconds(20)));
        using var connection = ConnectionTo(server);
        using var session = SessionWithUnsignedEnvelopes(6, connection);
        var journal = Path.Combine(Path.GetTempPath(), $"mesa-unsigned-{Guid.NewGuid():N}.jsonl");
        try
        {
            // Envelopes 2 and 5 signed, the rest not: four EnvelopeNotSigned errors between the two outputs, in order.
            var merged = session.Run("""
                $mixed = for ($i = 0; $i -lt 6; $i++) { if ($i -in 1, 4) { $envs[$i].Sign($kp) } else { $envs[$i] } }
                Submit-MesaCommitment -Envelope $mixed -ThrottleLimit 8 -Connection $c -JournalPath $j 2>&1
                """, ("j", journal)).Output.Select(o => o.BaseObject).ToList();
            Assert.Equal(6, merged.Count);
            Assert.Equal([false, true, false, false, true, false], merged.Select(o => o is MesaCommitment));
            Assert.All(merged.OfType<ErrorRecord>(), e => Assert.StartsWith("EnvelopeNotSigned,", e.FullyQualifiedErrorId));
            Assert.Equal(2, server.RequestCount);
            var outcomes = BulkTestData.ReadJournal(journal).Select(e => e.Outcome).ToList();
            Assert.Equal(4, outcomes.Count(o => o == JournalOutcome.NotSent));
            Assert.Equal(2, outcomes.Count(o => o == JournalOutcome.Landed));
        }
        finally
        {
            File.Delete(journal);
            File.Delete(journal + ".lock");
        }
    }

    /// <summary>
    /// The per-call retry options reach MesaClient: the 503 is retried once and the envelope lands once (issue 8 item 3).
    /// </summary>
    [Fact]
    public void MaximumRetryCount_retries_a_503_and_the_envelope_lands_once()
    {
        using var server = new ScriptedHttpServer((n, _) => n == 1
            ? (503, "{\"detail\":\"warming up\"}", TimeSpan.Zero)
            : (201, ScriptedHttpServer.CommitmentBody("c" + n), TimeSpan.Zero));
        using var connection = ConnectionTo(server);
        using var session = SessionWithUnsignedEnvelopes(1, connection);

        var result = session.Run("$envs | Submit-MesaCommitment -Keypair $kp -Connection $c -MaximumRetryCount 2 -RetryIntervalSec 1").AssertNoErrors();
        Assert.Equal("c2", Assert.Single(result.Output).Properties["Id"].Value);
        Assert.Equal(2, server.RequestCount);
    }

    [Fact]
    public void Without_retry_parameters_a_503_is_one_refusal_and_one_request()
    {
        using var server = new ScriptedHttpServer((n, _) => (503, "{\"detail\":\"warming up\"}", TimeSpan.Zero));
        using var connection = ConnectionTo(server);
        using var session = SessionWithUnsignedEnvelopes(1, connection);

        var result = session.Run("$envs | Submit-MesaCommitment -Keypair $kp -Connection $c");
        Assert.Empty(result.Output);
        Assert.StartsWith("ServerError,", Assert.Single(result.Errors).FullyQualifiedErrorId);
        Assert.Equal(1, server.RequestCount);
    }
}
