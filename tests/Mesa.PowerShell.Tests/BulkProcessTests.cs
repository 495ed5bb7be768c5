using System.Diagnostics;
using System.Management.Automation;
using Mesa.PowerShell.Bulk;

namespace Mesa.PowerShell.Tests;

/// <summary>
/// Bulk runs across real process events: the server killed mid-run and restarted on the same port and database, and a
/// pwsh of its own interrupted with SIGINT (Ctrl+C) while it holds the journal.
/// </summary>
public sealed class BulkProcessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mesa-bulk-proc-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_server_killed_and_restarted_mid_run_loses_no_acknowledged_commitment_and_the_resume_stores_none_twice()
    {
        var port = ClosedPort.Find();
        var db = Path.Combine(_dir, "mesa.db");
        var journal = Path.Combine(_dir, "killed.jsonl");
        using var owner = new PowerShellSession();
        var started = owner.RunSingle("Start-MesaLocalServer -Port $port -DatabasePath $db", ("port", port), ("db", db));
        var pid = (int)started.Properties["ProcessId"].Value;
        var token = owner.RunSingle("$s.AdminToken | ConvertFrom-SecureString -AsPlainText", ("s", started)).BaseObject.ToString()!;

        using var session = new PowerShellSession();
        session.Run("""
            $global:conn = Connect-Mesa -Uri $uri -AdminToken (ConvertTo-SecureString $token -AsPlainText -Force) -PassThru
            $global:kp = New-MesaKeypair
            $global:me = New-MesaPrincipal -Org 'killed' -Keypair $kp
            $null = Set-MesaCapability -PrincipalId $me.Id -Capability offer
            $global:deal = New-MesaDeliberation -Title 'killed mid-run'
            """, ("uri", started.Properties["Uri"].Value), ("token", token)).AssertNoErrors();
        var ids = BulkTestData.MakeEnvelopes(session, 3000);

        using var ps = session.CreatePipeline();
        ps.AddScript("Submit-MesaCommitment -Envelope $envs -ThrottleLimit 4 -JournalPath $j").AddParameter("j", journal);
        session.Run("$global:j = $p", ("p", journal));
        var pending = ps.BeginInvoke();
        Assert.True(SpinWait.SpinUntil(() => BulkTestData.CountLines(journal) >= 600 || pending.IsCompleted, TimeSpan.FromMinutes(2)), "the run never got going");
        Assert.False(pending.IsCompleted, "the run finished before the server could be killed");
        using (var process = Process.GetProcessById(pid)) process.Kill();
        Assert.True(pending.AsyncWaitHandle.WaitOne(TimeSpan.FromMinutes(2)), "the run did not end after the server died");
        var acknowledged = ps.EndInvoke(pending).Select(o => (string)o.Properties["Id"].Value).ToList();
        Assert.NotEmpty(ps.Streams.Error);

        // Every envelope the first run received is in its journal, and every commitment it returned is journaled as landed.
        var first = BulkTestData.Latest(BulkTestData.ReadJournal(journal));
        Assert.Equal(3000, first.Count);
        var journaledLanded = first.Values.Where(e => e.Outcome == JournalOutcome.Landed).Select(e => e.CommitmentId).ToHashSet();
        Assert.Subset(acknowledged.ToHashSet(), journaledLanded.Select(id => id!).ToHashSet());
        Assert.Contains(first.Values, e => e.Outcome == JournalOutcome.NotSent);

        // Same port, same database; the resume sends what did not land and refuses what may have.
        owner.Run("Start-MesaLocalServer -Port $port -DatabasePath $db", ("port", port), ("db", db)).AssertNoErrors();
        var resumed = session.Run("Submit-MesaCommitment -Envelope $envs -ThrottleLimit 4 -JournalPath $j -MaximumRetryCount 3 -RetryIntervalSec 1");
        var unknownBefore = first.Values.Count(e => e.Outcome == JournalOutcome.Unknown);
        Assert.Equal(unknownBefore, resumed.Errors.Count);
        Assert.All(resumed.Errors, e => Assert.StartsWith("OutcomeUnknownInJournal,", e.FullyQualifiedErrorId));
        Assert.Equal(first.Values.Count(e => e.Outcome is JournalOutcome.NotSent or JournalOutcome.Refused), resumed.Output.Count);

        var latest = BulkTestData.Latest(BulkTestData.ReadJournal(journal));
        var stored = BulkTestData.StoredCommitments(session);
        var byId = stored.ToDictionary(c => c.Id, c => c.Summary);
        var perSummary = stored.GroupBy(c => c.Summary).ToDictionary(g => g.Key, g => g.Count());

        // None stored twice; every journaled landing is on the server, under its own envelope.
        Assert.All(perSummary, p => Assert.Equal(1, p.Value));
        for (var i = 0; i < ids.Count; i++)
        {
            var entry = latest[ids[i]];
            var summary = $"item {i + 1}";
            if (entry.Outcome == JournalOutcome.Landed)
            {
                Assert.True(byId.TryGetValue(entry.CommitmentId!, out var s) && s == summary, $"journaled commitment {entry.CommitmentId} of {summary} is not on the server");
            }
            else
            {
                Assert.Equal(JournalOutcome.Unknown, entry.Outcome); // only what may have landed is left unsent
            }
        }

        Assert.InRange(stored.Count, 3000 - unknownBefore, 3000);
        owner.Run("Stop-MesaLocalServer");
    }

    [Fact]
    public void Ctrl_C_in_pwsh_tells_the_user_the_account_and_the_journal_held_by_that_pwsh_is_refused_meanwhile()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return; // SIGINT is how a terminal sends Ctrl+C
        using var fixture = new BulkServerFixture();
        var journal = Path.Combine(_dir, "interrupted.jsonl");
        var ready = Path.Combine(_dir, "ready.txt");
        var script = $$"""
            Connect-Mesa -Uri '{{fixture.Uri}}' -AdminToken (ConvertTo-SecureString '{{fixture.AdminToken}}' -AsPlainText -Force)
            $kp = New-MesaKeypair
            $me = New-MesaPrincipal -Org 'child' -Keypair $kp
            $null = Set-MesaCapability -PrincipalId $me.Id -Capability offer
            $deal = New-MesaDeliberation -Title 'interrupted'
            $envs = [Mesa.Client.MesaEnvelope[]]@(1..4000 | ForEach-Object {
                New-MesaEnvelope -Type offer -EmittedBy $me.Id -DeliberationId $deal.Id -Payload @{ summary = "item $_"; terms = @{ price = $_ } } -Keypair $kp
            })
            # To a file, not stdout: what a child pwsh prints reaches a redirected stdout late (through the tool's shim).
            Set-Content -Path '{{ready}}' -Value "$PID $($deal.Id)"
            # Paced from upstream (as a slow source would be), so the run is still going when the signal comes.
            $null = $envs | ForEach-Object { Start-Sleep -Milliseconds 5; $_ } | Submit-MesaCommitment -ThrottleLimit 2 -JournalPath '{{journal}}'
            'FINISHED'
            """;
        // The probe that tries the journal from this process is ready before the child starts.
        using var session = fixture.Connect();
        BulkTestData.MakeEnvelopes(session, 2);
        using var pwsh = ChildPwsh.Start(script);
        var rest = pwsh.StandardOutput.ReadToEndAsync();
        var errors = pwsh.StandardError.ReadToEndAsync();
        Assert.True(SpinWait.SpinUntil(() => File.Exists(ready) && File.ReadAllText(ready).EndsWith('\n') || pwsh.HasExited, TimeSpan.FromMinutes(2)), "the child pwsh did not start");
        if (pwsh.HasExited) Assert.Fail($"the child pwsh ended early: {rest.Result} {errors.Result}");
        var parts = File.ReadAllText(ready).Trim().Split(' ');
        var (shell, deal) = (int.Parse(parts[0]), parts[1]);

        Assert.True(SpinWait.SpinUntil(() => BulkTestData.CountLines(journal) >= 400 || pwsh.HasExited, TimeSpan.FromMinutes(2)), "the child never got going");
        if (pwsh.HasExited) Assert.Fail($"the child ended before it could be interrupted: {rest.Result} {errors.Result}");

        // A second process holds the journal: this one is refused.
        var probe = session.Run("try { Submit-MesaCommitment -Envelope $envs -JournalPath $j } catch { $_ }", ("j", journal));
        Assert.True(probe.Output.Count == 1 && probe.Output[0].BaseObject is ErrorRecord,
            $"the journal held by the child was not refused (child exited: {pwsh.HasExited}); output: {probe.Text}");
        var busy = (ErrorRecord)probe.Output[0].BaseObject;
        Assert.Equal("JournalInUse,Mesa.PowerShell.Commands.SubmitMesaCommitmentCommand", busy.FullyQualifiedErrorId);
        if (pwsh.HasExited) Assert.Fail($"the child ended before it could be interrupted: {rest.Result} {errors.Result}");

        var linesAtSignal = BulkTestData.CountLines(journal);
        var clock = Stopwatch.StartNew();
        using (var signal = Process.Start("kill", ["-INT", shell.ToString(System.Globalization.CultureInfo.InvariantCulture)])) signal.WaitForExit();
        Assert.True(pwsh.WaitForExit(60_000), "the child did not stop on SIGINT");
        var stdout = rest.Result;
        var context = $"journal lines at the signal: {linesAtSignal}, exit {clock.ElapsedMilliseconds} ms after it (code {pwsh.ExitCode}); stdout: [{stdout}] stderr: [{errors.Result}]";

        // The user is told the account (the warning on the host, the one channel left after a stop), and it matches
        // the journal: every envelope the cmdlet received is there. Envelopes still upstream never reached it.
        var latest = BulkTestData.Latest(BulkTestData.ReadJournal(journal));
        var landed = latest.Values.Count(e => e.Outcome == JournalOutcome.Landed);
        Assert.False(stdout.Contains("FINISHED", StringComparison.Ordinal), "the run was not stopped; " + context);
        Assert.True(landed is >= 400 and <= 3999, $"{landed} landed; " + context);
        Assert.True(stdout.Contains($"WARNING: Stopped: {latest.Count} envelopes", StringComparison.Ordinal), $"no account of {latest.Count} envelopes; " + context);
        Assert.Contains($"{landed} active", stdout);
        Assert.Contains($"{latest.Values.Count(e => e.Outcome == JournalOutcome.Unknown)} unknown, {latest.Values.Count(e => e.Outcome == JournalOutcome.NotSent)} not sent", stdout);
        Assert.Contains(journal, stdout);

        session.Run("$global:deal = [pscustomobject]@{ Id = $d }", ("d", deal));
        Assert.Equal(
            latest.Values.Where(e => e.Outcome == JournalOutcome.Landed).Select(e => e.CommitmentId).OrderBy(x => x),
            BulkTestData.StoredCommitments(session).Select(c => c.Id).OrderBy(x => x));
    }


}
