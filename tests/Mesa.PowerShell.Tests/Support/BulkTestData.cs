using System.Management.Automation;
using System.Text.Json;
using Mesa.PowerShell.Bulk;

namespace Mesa.PowerShell.Tests;

/// <summary>Envelopes, journals and server-side counts for the bulk tests.</summary>
internal static class BulkTestData
{
    /// <summary>
    /// Makes <c>$envs</c> in the session: <paramref name="count"/> signed offers from <c>$me</c> in <c>$deal</c>, each
    /// with the summary <c>item N</c>; the 1-based positions in <paramref name="blocked"/> ask for a 50% discount (blocked).
    /// </summary>
    public static IReadOnlyList<string> MakeEnvelopes(PowerShellSession session, int count, params int[] blocked)
    {
        session.Run("""
            $global:envs = [Mesa.Client.MesaEnvelope[]]@(1..$count | ForEach-Object {
                $terms = if ($blocked -contains $_) { @{ discount_pct = 50 } } else { @{ price = $_ } }
                New-MesaEnvelope -Type offer -EmittedBy $me.Id -DeliberationId $deal.Id -Payload @{ summary = "item $_"; terms = $terms } -Keypair $kp
            })
            """, ("count", count), ("blocked", blocked)).AssertNoErrors();
        return session.Run("$envs.Id").Output.Select(o => o.ToString()).ToList();
    }

    /// <summary>The commitments stored in <c>$deal</c>, as (commitment id, payload summary), read with GET /deliberations/{id}.</summary>
    public static IReadOnlyList<(string Id, string Summary)> StoredCommitments(PowerShellSession session)
    {
        var raw = session.RunSingle(
            "$conn.Client.SendRawAsync([System.Net.Http.HttpMethod]::Get, 'deliberations/' + $deal.Id, $null, $null, [Threading.CancellationToken]::None).GetAwaiter().GetResult().GetRawText()")
            .BaseObject.ToString()!;
        using var doc = JsonDocument.Parse(raw);
        return doc.RootElement.GetProperty("commitments").EnumerateArray()
            .Select(c => (c.GetProperty("id").GetString()!, c.GetProperty("payload").GetProperty("summary").GetString()!))
            .ToList();
    }

    /// <summary>Every line of a journal, parsed (a file still being written may be read: only whole lines count).</summary>
    public static IReadOnlyList<JournalEntry> ReadJournal(string path)
    {
        if (!File.Exists(path)) return [];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        var end = text.LastIndexOf('\n');
        if (end < 0) return [];
        return text[..end].Split('\n').Select(line => JournalEntry.TryParse(line, out var problem) ?? throw new InvalidDataException($"bad journal line: {problem}: {line}")).ToList();
    }

    /// <summary>Lines in a journal being written, counted cheaply.</summary>
    public static int CountLines(string path)
    {
        if (!File.Exists(path)) return 0;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.GetBuffer().AsSpan(0, (int)copy.Length).Count((byte)'\n');
    }

    /// <summary>The latest entry per envelope id.</summary>
    public static Dictionary<string, JournalEntry> Latest(IEnumerable<JournalEntry> entries)
    {
        var latest = new Dictionary<string, JournalEntry>();
        foreach (var entry in entries) latest[entry.EnvelopeId] = entry;
        return latest;
    }

    /// <summary>The envelope id of an error's TargetObject.</summary>
    public static string? TargetId(ErrorRecord error) =>
        (error.TargetObject is PSObject pso ? pso.BaseObject : error.TargetObject) is Mesa.Client.MesaEnvelope e ? e.Id : null;
}
