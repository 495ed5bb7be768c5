using System.Management.Automation;
using System.Text;
using Mesa.Client;
using Mesa.PowerShell.Infrastructure;

namespace Mesa.PowerShell.Tests;

/// <summary>Export-MesaEnvelope / Import-MesaEnvelope against real files: exact wire bytes out and back in.</summary>
public sealed class EnvelopeFileTests(PowerShellSession pwsh) : IClassFixture<PowerShellSession>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mesa-envelope-file-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string PathOf(string name) => Path.Combine(_folder, name);

    private static MesaEnvelope Envelope(PSObject o) => Assert.IsType<MesaEnvelope>(o.BaseObject);

    // Signed envelopes of both profiles with payloads that exercise escaping, non-ASCII text and number kinds.
    private const string MakeBoth =
        "$kp = New-MesaKeypair; " +
        "$v1 = 1..100 | ForEach-Object { [ordered]@{ summary = \"é ✓ `\"$_`\"`n\"; n = $_; f = 1.5 * $_; big = 123456789012345678901234567890n } } | New-MesaEnvelope -Type offer -EmittedBy prn_a -Profile v1 -Keypair $kp; " +
        "$v2 = 1..100 | ForEach-Object { '{\"terms\":{\"term_months\":' + $_ + ',\"x\":1.0},\"summary\":\"😀\"}' } | New-MesaEnvelope -Type counter -EmittedBy prn_b -DeliberationId dlb_1 -ParentId evt_p -Keypair $kp; " +
        "$all = @($v1) + @($v2); ";

    [Fact]
    public void Two_hundred_envelopes_of_both_profiles_round_trip_byte_for_byte_and_verify()
    {
        var path = PathOf("both.jsonl");
        var result = pwsh.Run(MakeBoth +
            "$all | Export-MesaEnvelope -Path $path; $back = Import-MesaEnvelope -Path $path; " +
            "$all; '--'; $back; '--'; $back | Test-MesaEnvelope -Keypair $kp", ("path", path)).AssertNoErrors();

        var parts = Split(result.Output);
        var originals = parts[0].Select(Envelope).ToList();
        var imported = parts[1].Select(Envelope).ToList();
        Assert.Equal(200, originals.Count);
        Assert.Equal(200, imported.Count);
        Assert.Equal(Enumerable.Repeat(true, 200), parts[2].Select(o => (bool)o.BaseObject));

        var expectedFile = originals.SelectMany(e => e.ToWireBytes().Append((byte)'\n')).ToArray();
        Assert.Equal(expectedFile, File.ReadAllBytes(path)); // UTF-8, no BOM, one wire JSON per line, '\n' endings
        for (var i = 0; i < 200; i++)
        {
            Assert.Equal(originals[i].ToWireBytes(), imported[i].ToWireBytes());
            Assert.Equal(originals[i].Profile, imported[i].Profile);
            Assert.Equal(originals[i].GetCanonicalBytes(), imported[i].GetCanonicalBytes());
        }

        Assert.Equal(100, imported.Count(e => e.Profile == MesaProfile.V1));
        Assert.All(parts[1], o => Assert.Equal("Mesa.Envelope", o.TypeNames[0]));
    }

    [Fact]
    public void A_damaged_line_is_reported_by_its_number_and_the_other_lines_still_import()
    {
        var path = PathOf("damaged.jsonl");
        pwsh.Run(MakeBoth + "$all | Select-Object -First 10 | Export-MesaEnvelope -Path $path", ("path", path)).AssertNoErrors();
        var lines = File.ReadAllLines(path).ToList();
        lines[6] = lines[6][..(lines[6].Length / 2)];         // line 7: cut in half
        lines[8] = lines[8].Replace("\"type\":", "\"type\": "); // line 9: valid JSON, but not the exact bytes that were signed
        lines.Insert(3, "");                                   // a blank line 4, skipped: the damaged lines become 8 and 10
        File.WriteAllText(path, string.Join("\n", lines) + "\n");

        var result = pwsh.Run("Import-MesaEnvelope -Path $path | Test-MesaEnvelope -Keypair $kp", ("path", path));

        Assert.Equal(Enumerable.Repeat(true, 8), result.Output.Select(o => (bool)o.BaseObject)); // 10 lines, 2 damaged
        Assert.Equal(2, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.Equal("InvalidEnvelopeLine,Mesa.PowerShell.Commands.ImportMesaEnvelopeCommand", e.FullyQualifiedErrorId));
        Assert.Equal([$"{path}:8", $"{path}:10"], result.Errors.Select(e => e.TargetObject));
        Assert.StartsWith($"Line 8 of '{path}' is not a signed envelope", result.Errors[0].Exception.Message);
        Assert.Contains("not valid JSON", result.Errors[0].Exception.Message);
        Assert.StartsWith($"Line 10 of '{path}'", result.Errors[1].Exception.Message);
        Assert.Contains("exact wire form", result.Errors[1].Exception.Message);
    }

    [Fact]
    public void Edited_but_still_canonical_lines_fail_verification_rather_than_import_silently()
    {
        // A field changed consistently keeps the wire form but not the signature: imported, and Test-MesaEnvelope says False.
        var path = PathOf("edited.jsonl");
        pwsh.Run(MakeBoth + "$all | Select-Object -First 2 | Export-MesaEnvelope -Path $path", ("path", path)).AssertNoErrors();
        var lines = File.ReadAllLines(path);
        File.WriteAllText(path, lines[0] + "\n" + lines[1].Replace("\"n\":2,", "\"n\":3,") + "\n");

        var result = pwsh.Run("Import-MesaEnvelope -Path $path | Test-MesaEnvelope -Keypair $kp", ("path", path)).AssertNoErrors();
        Assert.Equal([true, false], result.Output.Select(o => (bool)o.BaseObject));
    }

    [Fact]
    public void Unsigned_envelopes_are_refused_by_id_and_the_signed_ones_still_written()
    {
        var path = PathOf("mixed.jsonl");
        var result = pwsh.Run(
            "$kp = New-MesaKeypair; $u = New-MesaEnvelope -Type offer -EmittedBy me -Payload @{ a = 0 } -Id evt_unsigned; " +
            "$s = @{ a = 1 }, @{ a = 2 } | New-MesaEnvelope -Type offer -EmittedBy me -Keypair $kp; " +
            "$s[0], $u, $s[1] | Export-MesaEnvelope -Path $path; $s", ("path", path));

        var error = Assert.Single(result.Errors);
        Assert.Equal("EnvelopeNotSigned,Mesa.PowerShell.Commands.ExportMesaEnvelopeCommand", error.FullyQualifiedErrorId);
        Assert.Contains("evt_unsigned", error.Exception.Message);
        Assert.Equal("evt_unsigned", Envelope(PSObject.AsPSObject(error.TargetObject)).Id);
        var signed = result.Output.Select(Envelope).ToList();
        Assert.Equal(signed.SelectMany(e => e.ToWireBytes().Append((byte)'\n')).ToArray(), File.ReadAllBytes(path));
    }

    [Fact]
    public void An_existing_file_is_kept_without_append_or_force()
    {
        var path = PathOf("taken.jsonl");
        File.WriteAllText(path, "keep\n");
        const string One = "$kp = New-MesaKeypair; $e = New-MesaEnvelope -Type offer -EmittedBy me -Payload @{ a = 1 } -Keypair $kp; ";

        var failure = pwsh.RunFailing(One + "$e | Export-MesaEnvelope -Path $path", ("path", path));
        Assert.Equal("EnvelopeFileExists,Mesa.PowerShell.Commands.ExportMesaEnvelopeCommand", failure.FullyQualifiedErrorId);
        Assert.Equal("keep\n", File.ReadAllText(path));

        var wire = Envelope(pwsh.RunSingle(One + "$e | Export-MesaEnvelope -Path $path -Append; $e", ("path", path))).ToWireJson();
        Assert.Equal("keep\n" + wire + "\n", File.ReadAllText(path));

        wire = Envelope(pwsh.RunSingle(One + "$e | Export-MesaEnvelope -Path $path -Force; $e", ("path", path))).ToWireJson();
        Assert.Equal(wire + "\n", File.ReadAllText(path));

        pwsh.Run(One + "$e | Export-MesaEnvelope -Path $path -Force -WhatIf", ("path", path)).AssertNoErrors();
        Assert.Equal(wire + "\n", File.ReadAllText(path));
    }

    [Fact]
    public void Missing_files_folders_and_a_profile_mismatch_are_named()
    {
        var missing = pwsh.Run("Import-MesaEnvelope -Path $p", ("p", PathOf("none.jsonl")));
        Assert.Equal("EnvelopeFileNotFound,Mesa.PowerShell.Commands.ImportMesaEnvelopeCommand", Assert.Single(missing.Errors).FullyQualifiedErrorId);

        var folder = pwsh.Run("Import-MesaEnvelope -Path $p", ("p", _folder));
        Assert.Equal("EnvelopeFilePathIsDirectory,Mesa.PowerShell.Commands.ImportMesaEnvelopeCommand", Assert.Single(folder.Errors).FullyQualifiedErrorId);
        Assert.Contains("is a directory", folder.Errors[0].Exception.Message);

        var exportToFolder = pwsh.RunFailing("New-MesaEnvelope -Type offer -EmittedBy me -Payload @{ a = 1 } -Keypair (New-MesaKeypair) | Export-MesaEnvelope -Path $p", ("p", _folder));
        Assert.Equal("EnvelopeFilePathIsDirectory,Mesa.PowerShell.Commands.ExportMesaEnvelopeCommand", exportToFolder.FullyQualifiedErrorId);

        var path = PathOf("v2.jsonl");
        var result = pwsh.Run("New-MesaEnvelope -Type offer -EmittedBy me -DeliberationId d -Payload @{ a = 1 } -Keypair (New-MesaKeypair) | Export-MesaEnvelope -Path $p; Import-MesaEnvelope -Path $p -Profile v1", ("p", path));
        Assert.Empty(result.Output);
        Assert.Contains("v2 envelope", Assert.Single(result.Errors).Exception.Message);
    }

    [Fact]
    public void A_stopped_pipeline_keeps_the_lines_written_so_far()
    {
        var path = PathOf("stopped.jsonl");
        var marker = PathOf("five-sent");
        pwsh.Run("$kp = New-MesaKeypair; $five = 1..5 | ForEach-Object { @{ n = $_ } } | New-MesaEnvelope -Type offer -EmittedBy me -Keypair $kp").AssertNoErrors();
        using var ps = pwsh.CreatePipeline();
        // The sleep holds the pipeline open until the test stops it (the behaviour under test); the test waits on the marker.
        ps.AddScript("& { $five; Set-Content -LiteralPath $marker -Value sent; Start-Sleep -Seconds 120 } | Export-MesaEnvelope -Path $path");
        pwsh.Run("$null", ("marker", marker), ("path", path));
        var pending = ps.BeginInvoke();

        // The five envelopes have passed through Export-MesaEnvelope once the generator writes its marker.
        Assert.True(SpinWait.SpinUntil(() => File.Exists(marker), TimeSpan.FromSeconds(30)), "the generator never got past its five envelopes");
        Assert.True(Task.Run(ps.Stop).Wait(TimeSpan.FromSeconds(30)), "the stop did not end the pipeline");
        Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);

        var five = pwsh.Run("$five").Output.Select(Envelope).ToList();
        Assert.Equal(five.SelectMany(e => e.ToWireBytes().Append((byte)'\n')).ToArray(), File.ReadAllBytes(path));
        _ = pending;
    }

    [Fact]
    public void The_line_reader_keeps_bytes_exact_across_tiny_reads_and_CRLF_and_skips_an_overlong_line()
    {
        var text = "{\"a\":\"é\"}\r\n\n{\"b\":2}\nlast-without-newline";
        using (var reader = new JsonLinesReader(new TrickleStream(Encoding.UTF8.GetBytes(text), chunk: 3)))
        {
            var lines = new List<(long, string)>();
            while (reader.TryReadLine(out var line, out var tooLong))
            {
                Assert.False(tooLong);
                lines.Add((reader.LineNumber, Encoding.UTF8.GetString(line.Span)));
            }

            Assert.Equal([(1L, "{\"a\":\"é\"}"), (2L, ""), (3L, "{\"b\":2}"), (4L, "last-without-newline")], lines);
        }

        // A line over the cap is reported (as too long, without its bytes) and the next line is read normally.
        var overlong = new byte[JsonLinesReader.MaxLineBytes + 10];
        overlong.AsSpan().Fill((byte)'x');
        var data = overlong.Concat("\n{\"c\":3}\n"u8.ToArray()).ToArray();
        using (var reader = new JsonLinesReader(new TrickleStream(data, chunk: 1 << 20)))
        {
            Assert.True(reader.TryReadLine(out var first, out var tooLong));
            Assert.True(tooLong);
            Assert.True(first.IsEmpty);
            Assert.True(reader.TryReadLine(out var second, out tooLong));
            Assert.False(tooLong);
            Assert.Equal("{\"c\":3}", Encoding.UTF8.GetString(second.Span));
            Assert.Equal(2, reader.LineNumber);
            Assert.False(reader.TryReadLine(out _, out _));
        }
    }

    private static List<List<PSObject>> Split(IEnumerable<PSObject> output)
    {
        var parts = new List<List<PSObject>> { new() };
        foreach (var o in output)
        {
            if (o.BaseObject is "--") parts.Add([]);
            else parts[^1].Add(o);
        }

        return parts;
    }

    // Hands out at most `chunk` bytes per read, like a slow pipe: line boundaries fall inside reads.
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));
    }
}
