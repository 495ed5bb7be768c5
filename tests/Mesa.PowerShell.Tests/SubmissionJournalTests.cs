using System.Text;
using Mesa.PowerShell.Bulk;

namespace Mesa.PowerShell.Tests;

/// <summary>The journal on a real file: latest line wins, bad lines named by number, another server refused, the lock held.</summary>
public sealed class SubmissionJournalTests : IDisposable
{
    private const string Server = "http://127.0.0.1:8000/";
    private readonly string _dir = Directory.CreateTempSubdirectory("mesa-journal-").FullName;

    private string PathOf(string name) => Path.Combine(_dir, name);

    private static JournalEntry Entry(string id, JournalOutcome outcome, string server = Server) => new()
    {
        EnvelopeId = id,
        Outcome = outcome,
        Time = DateTimeOffset.UtcNow,
        Server = server,
        DeliberationId = "dlb-1",
        CommitmentId = outcome == JournalOutcome.Landed ? "c-" + id : null,
        Status = outcome == JournalOutcome.Landed ? "active" : null,
        Action = outcome == JournalOutcome.Landed ? "allow" : null,
        HttpStatus = outcome == JournalOutcome.Refused ? 403 : null,
        Code = outcome == JournalOutcome.Refused ? "policy_blocked" : null,
    };

    [Fact]
    public void Appended_lines_are_read_back_and_the_latest_line_per_envelope_wins()
    {
        var path = PathOf("j.jsonl");
        using (var journal = SubmissionJournal.Open(path, Server))
        {
            journal.Append(Entry("evt_a", JournalOutcome.Refused));
            journal.Append(Entry("evt_b", JournalOutcome.Unknown));
            journal.Append(Entry("evt_a", JournalOutcome.Landed));
        }

        var lines = File.ReadAllLines(path);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("{\"envelope_id\":\"evt_a\",\"outcome\":\"refused\",\"time\":\"", lines[0]);
        Assert.Contains("\"http_status\":403,\"code\":\"policy_blocked\"", lines[0]);
        Assert.Matches("\"time\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\"", lines[0]);
        Assert.Contains("\"server\":\"http://127.0.0.1:8000/\"", lines[0]);

        using var reopened = SubmissionJournal.Open(path, Server);
        Assert.Null(reopened.Warning);
        Assert.Equal(3, reopened.LineCount);
        var a = reopened.Latest("evt_a")!;
        Assert.Equal(JournalOutcome.Landed, a.Outcome);
        Assert.Equal("c-evt_a", a.CommitmentId);
        Assert.Equal(JournalOutcome.Unknown, reopened.Latest("evt_b")!.Outcome);
        Assert.Null(reopened.Latest("evt_c"));
    }

    [Fact]
    public void A_bad_line_in_the_middle_is_JournalCorrupt_naming_its_line_number()
    {
        var path = PathOf("corrupt.jsonl");
        File.WriteAllText(path,
            Encoding.UTF8.GetString(Entry("evt_a", JournalOutcome.Landed).ToJsonLine()) +
            "{\"envelope_id\":\"evt_b\",\"outcome\":\"maybe\",\"time\":\"2026-01-01T00:00:00.000Z\",\"server\":\"http://127.0.0.1:8000/\"}\n" +
            Encoding.UTF8.GetString(Entry("evt_c", JournalOutcome.Landed).ToJsonLine()));
        var ex = Assert.Throws<JournalException>(() => SubmissionJournal.Open(path, Server));
        Assert.Equal("JournalCorrupt", ex.ErrorId);
        Assert.Contains("line 2", ex.Message);
        Assert.Contains("maybe", ex.Message);

        File.WriteAllText(path, "not json\n");
        var garbage = Assert.Throws<JournalException>(() => SubmissionJournal.Open(path, Server));
        Assert.Equal("JournalCorrupt", garbage.ErrorId);
        Assert.Contains("line 1", garbage.Message);
    }

    [Fact]
    public void A_line_of_another_server_is_JournalServerMismatch()
    {
        var path = PathOf("other.jsonl");
        File.WriteAllBytes(path, Entry("evt_a", JournalOutcome.Landed, "http://127.0.0.1:9999/").ToJsonLine());
        var ex = Assert.Throws<JournalException>(() => SubmissionJournal.Open(path, Server));
        Assert.Equal("JournalServerMismatch", ex.ErrorId);
        Assert.Contains("http://127.0.0.1:9999/", ex.Message);
        Assert.Contains(Server, ex.Message);
    }

    [Fact]
    public void A_torn_last_line_is_removed_with_a_warning_and_its_envelope_becomes_unknown()
    {
        var path = PathOf("torn.jsonl");
        var whole = Entry("evt_a", JournalOutcome.Landed).ToJsonLine();
        var torn = Entry("evt_b", JournalOutcome.Landed).ToJsonLine()[..40];
        File.WriteAllBytes(path, [.. whole, .. torn]);

        using (var journal = SubmissionJournal.Open(path, Server))
        {
            Assert.NotNull(journal.Warning);
            Assert.Contains("line 2", journal.Warning);
            Assert.Contains("evt_b", journal.Warning);
            Assert.Equal(JournalOutcome.Unknown, journal.Latest("evt_b")!.Outcome);
            Assert.Equal(JournalOutcome.Landed, journal.Latest("evt_a")!.Outcome);
            journal.Append(Entry("evt_c", JournalOutcome.Landed));
        }

        // The file is whole again: the cut line is gone, the unknown line and the next append are lines of their own.
        var lines = File.ReadAllLines(path);
        Assert.Equal(3, lines.Length);
        Assert.Contains("\"envelope_id\":\"evt_b\",\"outcome\":\"unknown\"", lines[1]);
        using var again = SubmissionJournal.Open(path, Server);
        Assert.Null(again.Warning);
    }

    [Fact]
    public void A_whole_last_line_without_its_newline_is_kept()
    {
        var path = PathOf("nonewline.jsonl");
        File.WriteAllBytes(path, Entry("evt_a", JournalOutcome.Landed).ToJsonLine()[..^1]);
        using (var journal = SubmissionJournal.Open(path, Server))
        {
            Assert.Null(journal.Warning);
            Assert.Equal(JournalOutcome.Landed, journal.Latest("evt_a")!.Outcome);
            journal.Append(Entry("evt_b", JournalOutcome.NotSent));
        }

        Assert.Equal(2, File.ReadAllLines(path).Length);
    }

    [Fact]
    public void A_journal_held_open_is_JournalInUse_until_it_is_closed()
    {
        var path = PathOf("held.jsonl");
        var first = SubmissionJournal.Open(path, Server);
        var ex = Assert.Throws<JournalException>(() => SubmissionJournal.Open(path, Server));
        Assert.Equal("JournalInUse", ex.ErrorId);
        Assert.Contains(path + ".lock", ex.Message);

        // Others may still read it while it is held.
        first.Append(Entry("evt_a", JournalOutcome.Landed));
        using (var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            Assert.True(reader.Length > 0);
        }

        first.Dispose();
        using var second = SubmissionJournal.Open(path, Server);
        Assert.Equal(1, second.LineCount);
    }

    [Fact]
    public void Concurrent_appends_are_each_a_whole_line()
    {
        var path = PathOf("concurrent.jsonl");
        using (var journal = SubmissionJournal.Open(path, Server))
        {
            Parallel.For(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => journal.Append(Entry("evt_" + i, JournalOutcome.Landed)));
        }

        using var reopened = SubmissionJournal.Open(path, Server);
        Assert.Equal(400, reopened.LineCount);
        for (var i = 0; i < 400; i++) Assert.Equal(JournalOutcome.Landed, reopened.Latest("evt_" + i)!.Outcome);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
