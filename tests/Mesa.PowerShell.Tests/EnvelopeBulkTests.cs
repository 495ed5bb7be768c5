using System.Management.Automation;
using Mesa.Client;

namespace Mesa.PowerShell.Tests;

/// <summary>
/// New-MesaEnvelope in bulk: payloads from the pipeline (Import-Csv rows, hashtables, JSON text), the other
/// parameters given once; and the deliberation-on-the-pipeline form still bound when -Payload is given.
/// </summary>
public sealed class EnvelopeBulkTests(PowerShellSession pwsh) : IClassFixture<PowerShellSession>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mesa-bulk-envelopes-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static MesaEnvelope Envelope(PSObject o) => Assert.IsType<MesaEnvelope>(o.BaseObject);

    [Fact]
    public void Import_csv_rows_become_one_signed_envelope_each_with_the_shared_fields()
    {
        var csv = Path.Combine(_folder, "offers.csv");
        File.WriteAllLines(csv, ["summary,term_months,fee_total_usd", .. Enumerable.Range(1, 50).Select(i => $"Offer {i},{i},{i * 100}.5")]);

        var result = pwsh.Run(
            "$kp = New-MesaKeypair; $kp; Import-Csv -Path $csv | New-MesaEnvelope -Type offer -EmittedBy prn_1 -DeliberationId dlb_1 -ParentId evt_p -Keypair $kp",
            ("csv", csv)).AssertNoErrors();

        var keys = (MesaKeypair)result.Output[0].BaseObject;
        var envelopes = result.Output.Skip(1).Select(Envelope).ToList();
        Assert.Equal(50, envelopes.Count);
        Assert.Equal(50, envelopes.Select(e => e.Id).Distinct().Count());
        for (var i = 0; i < envelopes.Count; i++)
        {
            var e = envelopes[i];
            Assert.Equal(("offer", "prn_1", "dlb_1", "evt_p", MesaProfile.V2), (e.Type, e.EmittedBy, e.DeliberationId, e.ParentId, e.Profile));
            Assert.Equal($"{{\"fee_total_usd\":\"{(i + 1) * 100}.5\",\"summary\":\"Offer {i + 1}\",\"term_months\":\"{i + 1}\"}}", e.PayloadJson);
            Assert.True(e.Verify(keys), $"envelope {i} verifies");
        }

        Assert.All(result.Output.Skip(1), o => Assert.Equal("Mesa.Envelope", o.TypeNames[0]));
    }

    [Fact]
    public void Hashtables_and_json_text_mix_on_the_pipeline()
    {
        var result = pwsh.Run("@{ a = 1 }, '{\"b\":[1,2.0]}', [ordered]@{ c = @{ d = $true } } | New-MesaEnvelope -Type offer -EmittedBy me -Profile v1").AssertNoErrors();
        Assert.Equal(["{\"a\":1}", "{\"b\":[1,2.0]}", "{\"c\":{\"d\":true}}"], result.Output.Select(o => Envelope(o).PayloadJson));
        Assert.All(result.Output, o => Assert.Equal(MesaProfile.V1, Envelope(o).Profile));
    }

    [Fact]
    public void A_row_with_id_and_deliberation_id_columns_is_a_payload_not_a_deliberation()
    {
        // Without -Payload every piped object is a payload, whatever its columns: nothing binds by property name.
        var result = pwsh.Run(
            "[pscustomobject]@{ Id = 'row-1'; DeliberationId = 'from-row'; EmittedBy = 'row-emitter'; summary = 's' } | " +
            "New-MesaEnvelope -Type offer -EmittedBy me -DeliberationId dlb_given").AssertNoErrors();

        var e = Envelope(Assert.Single(result.Output));
        Assert.Equal("dlb_given", e.DeliberationId);
        Assert.Equal("me", e.EmittedBy);
        Assert.StartsWith("evt_", e.Id);
        Assert.Equal("{\"DeliberationId\":\"from-row\",\"EmittedBy\":\"row-emitter\",\"Id\":\"row-1\",\"summary\":\"s\"}", e.PayloadJson);
    }

    [Fact]
    public void With_payload_given_the_piped_object_is_the_deliberation()
    {
        var deliberation = ModuleObject.Wrap(new MesaDeliberation { Id = "dlb-7", Title = "t", Stage = "offer", Status = "open" }, "Mesa.Deliberation");
        var result = pwsh.Run(
            "$d | New-MesaEnvelope -Type offer -EmittedBy me -Payload @{ a = 1 }; " +
            "[pscustomobject]@{ DeliberationId = 'dlb-row'; EmittedBy = 'row-emitter' } | New-MesaEnvelope -Type offer -Payload @{ a = 2 }",
            ("d", deliberation)).AssertNoErrors();

        Assert.Equal([("dlb-7", "me", "{\"a\":1}"), ("dlb-row", "row-emitter", "{\"a\":2}")],
            result.Output.Select(Envelope).Select(e => (e.DeliberationId, e.EmittedBy, e.PayloadJson)));
    }

    [Fact]
    public void A_deliberation_piped_without_payload_is_refused_with_the_fix()
    {
        var deliberation = ModuleObject.Wrap(new MesaDeliberation { Id = "dlb-7", Title = "t", Stage = "offer", Status = "open" }, "Mesa.Deliberation");
        var result = pwsh.Run("$d | New-MesaEnvelope -Type offer -EmittedBy me", ("d", deliberation));

        Assert.Empty(result.Output);
        var error = Assert.Single(result.Errors);
        Assert.Equal("PayloadIsNotAPayload,Mesa.PowerShell.Commands.NewMesaEnvelopeCommand", error.FullyQualifiedErrorId);
        Assert.Contains("give -Payload", error.Exception.Message);
    }

    [Fact]
    public void Id_with_more_than_one_item_is_refused_before_any_envelope_is_written()
    {
        var failure = pwsh.RunFailing("$null = @{ a = 1 }, @{ a = 2 } | New-MesaEnvelope -Type offer -EmittedBy me -Id evt_same");
        Assert.Equal("IdGivenForManyItems,Mesa.PowerShell.Commands.NewMesaEnvelopeCommand", failure.FullyQualifiedErrorId);
        Assert.Contains("Leave -Id out", failure.Exception.Message);

        var collected = pwsh.Run("$got = @(); try { @{ a = 1 }, @{ a = 2 } | New-MesaEnvelope -Type offer -EmittedBy me -Id evt_same | ForEach-Object { $got += $_ } } catch { }; $got.Count");
        Assert.Equal(0, Assert.Single(collected.Output).BaseObject);

        var one = pwsh.Run("@{ a = 1 } | New-MesaEnvelope -Type offer -EmittedBy me -Id evt_one").AssertNoErrors();
        Assert.Equal("evt_one", Envelope(Assert.Single(one.Output)).Id);
    }

    [Fact]
    public void One_timestamp_for_many_items_is_shared()
    {
        var result = pwsh.Run("1..3 | ForEach-Object { @{ n = $_ } } | New-MesaEnvelope -Type offer -EmittedBy me -Timestamp 2026-05-08T00:00:00.000000Z").AssertNoErrors();
        Assert.All(result.Output, o => Assert.Equal("2026-05-08T00:00:00.000000Z", Envelope(o).Timestamp));
        Assert.Equal(3, result.Output.Select(o => Envelope(o).Id).Distinct().Count());
    }

    [Fact]
    public void A_bad_payload_among_good_ones_is_an_error_for_that_item_only()
    {
        var result = pwsh.Run("@{ a = 1 }, '[1,2]', @{ a = 3 } | New-MesaEnvelope -Type offer -EmittedBy me");
        Assert.Equal(["{\"a\":1}", "{\"a\":3}"], result.Output.Select(o => Envelope(o).PayloadJson));
        var error = Assert.Single(result.Errors);
        Assert.Equal("[1,2]", error.TargetObject);
        Assert.Contains("must be a JSON object", error.Exception.Message);
    }
}
