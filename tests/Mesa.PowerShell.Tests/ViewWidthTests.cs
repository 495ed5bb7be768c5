using System.Text.RegularExpressions;

namespace Mesa.PowerShell.Tests;

/// <summary>
/// Every table view read at 80 and at 120 columns (Out-String -Width; and at 79, which is what an 80-column console
/// gives a table), over real objects from a bundled server:
/// one header line with every label whole, no line wider than the width, no value cut short ("…"), ids whole, free
/// text whole when its wrapped lines are read back, and the free-text column at least 20 wide at 80.
/// </summary>
[Collection(OutputRenderingCollection.Name)]
public sealed class ViewWidthTests(ViewSamples samples) : IClassFixture<ViewSamples>
{
    private const string Ellipsis = "\u2026";

    /// <summary>How a cell's value comes back from its lines: on one line, folded between words, or wrapped anywhere (JSON, paths).</summary>
    private enum Fit { Whole, Folded, Wrapped }

    private sealed record Cell(string Label, string Value, Fit Fit);

    private string Value(string expression) => samples.Session.RunSingle($"[string]({expression})").BaseObject.ToString()!;

    private string Render(string pipeline, int width) =>
        samples.Session.Run($"$PSStyle.OutputRendering = 'PlainText'; {pipeline} | Out-String -Width {width}").AssertNoErrors().Text;

    // 79: what PowerShell lays a table out in on an 80-column console (it leaves the last column free).
    public static TheoryData<int> Widths => new() { 79, 80, 120 };

    [Theory]
    [MemberData(nameof(Widths))]
    public void Principal_table(int width) => CheckTable(
        "$principal", width, ["Id", "Org", "Capabilities"], "Capabilities",
        new Cell("Id", Value("$principal.Id"), Fit.Whole),
        new Cell("Org", ViewSamples.Org, Fit.Folded),
        new Cell("Capabilities", string.Join(", ", ViewSamples.Capabilities), Fit.Folded));

    [Theory]
    [MemberData(nameof(Widths))]
    public void Deliberation_table(int width) => CheckTable(
        "$deliberation", width, ["Id", "Title", "Stage", "Status"], "Title",
        new Cell("Id", Value("$deliberation.Id"), Fit.Whole),
        new Cell("Title", ViewSamples.Title, Fit.Folded),
        new Cell("Stage", "amendment", Fit.Whole),
        new Cell("Status", "open", Fit.Whole));

    [Theory]
    [MemberData(nameof(Widths))]
    public void Deliberation_detail_as_table(int width) => CheckTable(
        "$detail | Format-Table", width, ["Id", "Title", "Stage", "Status"], "Title",
        new Cell("Id", Value("$detail.Id"), Fit.Whole),
        new Cell("Title", ViewSamples.Title, Fit.Folded));

    [Theory]
    [MemberData(nameof(Widths))]
    public void Commitment_table(int width) => CheckTable(
        "$routed", width, ["Id", "Type", "Status", "Policies"], "Policies",
        new Cell("Id", Value("$routed.Id"), Fit.Whole),
        new Cell("Type", "offer", Fit.Whole),
        new Cell("Status", "flagged", Fit.Whole),
        new Cell("Policies", "flag-large-spend, route-long-term", Fit.Folded));

    [Theory]
    [MemberData(nameof(Widths))]
    public void Applied_policy_table(int width) => CheckTable(
        "$routed.Decision.Applied[1]", width, ["PolicyName", "Action", "RouteTo"], null,
        new Cell("PolicyName", "route-long-term", Fit.Whole),
        new Cell("Action", "route", Fit.Whole),
        new Cell("RouteTo", "legal-review", Fit.Whole));

    [Theory]
    [MemberData(nameof(Widths))]
    public void An_applied_policy_with_a_server_made_id_takes_one_line(int width)
    {
        // A policies file without ids gets 32-hex ids from the server; with that id as a fourth column, a long policy
        // name and a route pushed it into 12 columns at 80, three lines per policy. The id stays a property (and in
        // Format-List); the table shows what a reader acts on.
        var policy = ModuleObject.Wrap(
            new Mesa.Client.MesaAppliedPolicy { PolicyId = new string('b', 32), PolicyName = "flag-large-spend-over-the-agreed-cap", Action = "route", RouteTo = "legal-team@example.com" },
            "Mesa.AppliedPolicy");
        var text = samples.Session.Run($"$PSStyle.OutputRendering = 'PlainText'; $p | Out-String -Width {width}", ("p", policy)).AssertNoErrors().Text;
        AssertFits(text, width);
        Assert.DoesNotContain(Ellipsis, text, StringComparison.Ordinal);
        var lines = text.Replace("\r", "", StringComparison.Ordinal).Split('\n').Where(l => l.Trim().Length > 0).ToArray();
        Assert.True(lines.Length == 3, $"header, underline and one row expected:\n{text}");
        Assert.Matches(@"^flag-large-spend-over-the-agreed-cap\s+route\s+legal-team@example\.com\s*$", lines[2]);
        var listed = samples.Session.Run($"$PSStyle.OutputRendering = 'PlainText'; $p | Format-List | Out-String -Width {width}", ("p", policy)).AssertNoErrors().Text;
        Assert.Matches(@"(?m)^PolicyId\s+:\s+b{32}\s*$", listed);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Keypair_table(int width) => CheckTable(
        "$key", width, ["PublicKey"], null, new Cell("PublicKey", Value("$key.PublicKeyHex"), Fit.Whole));

    [Theory]
    [MemberData(nameof(Widths))]
    public void Envelope_table(int width) => CheckTable(
        "$envelope | Format-Table", width, ["Id", "Type", "IsSigned", "Payload"], "Payload",
        [
            new Cell("Id", Value("$envelope.Id"), Fit.Whole),
            new Cell("Type", "usage_restriction", Fit.Whole),
            new Cell("IsSigned", "True", Fit.Whole),
            new Cell("Payload", Value("$envelope.PayloadJson"), Fit.Wrapped),
        ],
        minimumFreeWidth: 15); // JSON has no words to keep whole; the id (36) and every type name (up to 18) must fit

    [Theory]
    [MemberData(nameof(Widths))]
    public void Connection_table(int width) => CheckTable(
        "$connection", width, ["Uri", "Profile", "HasAdminToken", "ServerStatus", "TimeoutSec"], "Uri",
        new Cell("Uri", Value("$connection.Uri"), Fit.Whole),
        new Cell("HasAdminToken", "True", Fit.Whole),
        new Cell("ServerStatus", "ok", Fit.Whole));

    [Theory]
    [MemberData(nameof(Widths))]
    public void Connection_test_table(int width) => CheckTable(
        "$failedTest", width, ["Uri", "Status", "RoundTripMs", "Error"], "Error",
        new Cell("Uri", Value("$failedTest.Uri"), Fit.Whole),
        new Cell("Status", Value("$failedTest.Status"), Fit.Whole),
        new Cell("Error", Value("$failedTest.Error"), Fit.Folded));

    [Theory]
    [MemberData(nameof(Widths))]
    public void Health_table(int width) => CheckTable("$health", width, ["Status"], null, new Cell("Status", "ok", Fit.Whole));

    [Theory]
    [MemberData(nameof(Widths))]
    public void Turn_table(int width) => CheckTable(
        "$turn", width, ["Index", "SpeakerId", "Content"], "Content",
        new Cell("SpeakerId", Value("$principal.Id"), Fit.Whole),
        new Cell("Content", ViewSamples.TurnContent.Replace('\n', ' '), Fit.Folded));

    [Theory]
    [MemberData(nameof(Widths))]
    public void Commitment_summary_table(int width) => CheckTable(
        "$detail.Commitments[0]", width, ["Id", "Type", "Status", "CreatedAt"], "CreatedAt",
        new Cell("Id", Value("$routed.Id"), Fit.Whole),
        new Cell("Type", "offer", Fit.Whole),
        new Cell("Status", "flagged", Fit.Whole),
        new Cell("CreatedAt", Value("$detail.Commitments[0].CreatedAt.UtcDateTime.ToString('yyyy-MM-dd HH:mm:ss', [cultureinfo]::InvariantCulture) + 'Z'"), Fit.Whole));

    [Theory]
    [MemberData(nameof(Widths))]
    public void Local_server_table(int width) => CheckTable(
        "$server", width, ["Uri", "ProcessId", "Responding", "AdminToken", "DatabasePath"], "DatabasePath",
        new Cell("Uri", Value("$server.Uri"), Fit.Whole),
        new Cell("Responding", "yes", Fit.Whole),
        new Cell("AdminToken", "set", Fit.Whole),
        new Cell("DatabasePath", Value("$server.DatabasePath"), Fit.Wrapped));

    [Theory]
    [MemberData(nameof(Widths))]
    public void The_longest_type_name_folds_after_its_underscore(int width)
    {
        // participant_joined (18) is the one type longer than the Type column (17); it is not cut, it folds.
        var commitment = ModuleObject.Wrap(
            new Mesa.Client.MesaCommitment { Id = new string('a', 32), Type = "participant_joined", Status = "active", Decision = new Mesa.Client.MesaDecision { Action = "allow" } },
            "Mesa.Commitment");
        var text = samples.Session.Run($"$PSStyle.OutputRendering = 'PlainText'; $c | Out-String -Width {width}", ("c", commitment)).AssertNoErrors().Text;
        AssertFits(text, width);
        Assert.DoesNotContain(Ellipsis, text, StringComparison.Ordinal);
        Assert.Matches(@"a{32} participant_\s+active\s*\r?\n\s+joined\s*\r?\n", text);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Several_objects_share_one_layout(int width)
    {
        var text = Render("$routed, $allowed", width);
        AssertFits(text, width);
        Assert.DoesNotContain(Ellipsis, text, StringComparison.Ordinal);
        Assert.Contains(Value("$routed.Id"), text, StringComparison.Ordinal);
        Assert.Contains(Value("$allowed.Id"), text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void List_views_fit(int width)
    {
        var decision = Render("$routed.Decision", width);
        AssertFits(decision, width);
        Assert.Contains("route-long-term: route -> legal-review", decision, StringComparison.Ordinal);

        var envelope = Render("$envelope", width);
        AssertFits(envelope, width);
        Assert.Contains(Value("$envelope.Id"), envelope, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^IsSigned\s+:\s+True", envelope);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Deliberation_detail_fits_and_keeps_words_whole(int width)
    {
        var text = Render("$detail", width);
        AssertFits(text, Math.Min(width, 79));
        Assert.Contains(Value("$detail.Id"), text, StringComparison.Ordinal);
        Assert.Contains(Value("$routed.Id"), text, StringComparison.Ordinal);
        Assert.Contains(Value("$allowed.Id"), text, StringComparison.Ordinal);
        var words = Regex.Split(text, @"\s+").ToHashSet(StringComparer.Ordinal);
        foreach (var word in (ViewSamples.Title + " " + ViewSamples.TurnContent).Split([' ', '\n']))
        {
            Assert.Contains(word, words);
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Every_table_view_fits_for_every_sample_it_applies(int width)
    {
        // Views added later are held to the same rule without a test of their own: within the width, nothing cut short,
        // the header on one line.
        var objects = ViewSamples.Expressions.Select(e => (Expression: e, Object: samples.Get(e))).ToList();
        var checkedViews = 0;
        foreach (var view in FormatFile.ReadViews().Where(v => v.Control == "Table"))
        {
            foreach (var (expression, _) in objects.Where(o => o.Object.TypeNames.Intersect(view.Types).Any()))
            {
                var text = Render($"{expression} | Format-Table -View '{view.Name}'", width);
                AssertFits(text, width);
                Assert.DoesNotContain(Ellipsis, text, StringComparison.Ordinal);
                var lines = text.Replace("\r", "", StringComparison.Ordinal).Split('\n');
                var dashes = Array.FindIndex(lines, l => l.Contains('-') && l.Trim().Trim('-', ' ').Length == 0);
                Assert.True(dashes > 0 && lines[dashes - 1].Split(' ', StringSplitOptions.RemoveEmptyEntries).SequenceEqual(view.Labels),
                    $"{view.Name} over {expression}: the header is not one line of its labels:\n{text}");
                checkedViews++;
            }
        }

        Assert.True(checkedViews >= 12, $"only {checkedViews} table renderings checked");
    }

    // A table of one object: the header on one line (nothing squeezed to a letter per line), nothing wider than the
    // width, nothing cut short, each cell read back whole from the lines of its column.
    private void CheckTable(string pipeline, int width, string[] labels, string? freeColumn, params Cell[] cells) =>
        CheckTable(pipeline, width, labels, freeColumn, cells, minimumFreeWidth: 20);

    private void CheckTable(string pipeline, int width, string[] labels, string? freeColumn, Cell[] cells, int minimumFreeWidth)
    {
        var text = Render(pipeline, width);
        AssertFits(text, width);
        Assert.DoesNotContain(Ellipsis, text, StringComparison.Ordinal);

        var lines = text.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        var dashes = Array.FindIndex(lines, l => l.Contains('-') && l.Trim().Trim('-', ' ').Length == 0);
        Assert.True(dashes > 0, "no header underline in:\n" + text);
        Assert.Equal(labels, lines[dashes - 1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(dashes == 1 || lines[dashes - 2].Trim().Length == 0, "the header spans more than one line:\n" + text);

        var starts = Regex.Matches(lines[dashes], "-+").Select(m => m.Index).ToArray();
        var rows = lines.Skip(dashes + 1).TakeWhile(l => l.Trim().Length > 0).ToArray();
        Assert.NotEmpty(rows);

        if (freeColumn is not null && width <= 80)
        {
            var i = Array.IndexOf(labels, freeColumn);
            var room = (i + 1 < starts.Length ? starts[i + 1] - 1 : width) - starts[i];
            Assert.True(room >= minimumFreeWidth, $"{freeColumn} has {room} columns at {width}:\n{text}");
        }

        foreach (var cell in cells)
        {
            var i = Array.IndexOf(labels, cell.Label);
            if (cell.Fit == Fit.Whole)
            {
                Assert.Matches(@"(?<!\S)" + Regex.Escape(cell.Value) + @"(?!\S)", rows[0]);
                continue;
            }

            var end = i + 1 < starts.Length ? starts[i + 1] - 1 : int.MaxValue;
            var parts = rows
                .Select(r => r.Length <= starts[i] ? "" : r[starts[i]..Math.Min(end, r.Length)].Trim())
                .Where(p => p.Length > 0);
            // Nothing lost: the lines of the cell hold the value, spaces aside (a break drops the space it falls on).
            var joined = string.Join(" ", parts);
            Assert.True(
                Regex.Replace(cell.Value, @"\s+", "") == Regex.Replace(joined, @"\s+", ""),
                $"{cell.Label} reads back as '{joined}', not '{cell.Value}':\n{text}");
            if (cell.Fit == Fit.Folded)
            {
                // Folded text breaks between words: every word that fits a line (up to 20) is whole on one line.
                var tokens = joined.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
                foreach (var word in cell.Value.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Where(w => w.Length <= 20))
                {
                    Assert.True(tokens.Contains(word), $"'{word}' of {cell.Label} is cut across lines:\n{text}");
                }
            }
        }
    }

    private static void AssertFits(string text, int width)
    {
        foreach (var line in text.Replace("\r", "", StringComparison.Ordinal).Split('\n'))
        {
            Assert.True(line.Length <= width, $"a line of {line.Length} columns at width {width}: '{line}'");
        }
    }
}
