namespace Mesa.PowerShell.Tests;

/// <summary>
/// The bulk envelope path against the real local server process: CSV rows become envelopes that the server
/// accepts (its signature check is the proof), and envelopes exported and imported again land the same.
/// </summary>
public sealed class EnvelopeServerTests : IDisposable
{
    private readonly PowerShellSession _session = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("mesa-envelope-server-").FullName;

    public void Dispose()
    {
        _session.Run("Stop-MesaLocalServer");
        _session.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void Csv_rows_and_imported_envelopes_land_on_the_server_as_signed()
    {
        var csv = Path.Combine(_folder, "dpa.csv");
        var jsonl = Path.Combine(_folder, "dpa.jsonl");
        File.WriteAllLines(csv, ["uri,version,executed_at", .. Enumerable.Range(1, 40).Select(i => $"https://contracts.example/dpa/{i},v{i},2026-05-08T09:30:00Z")]);

        var result = _session.Run(
            "$null = Start-MesaLocalServer -Connect; $kp = New-MesaKeypair; " +
            "$p = $kp | New-MesaPrincipal -Org acme | Set-MesaCapability -Capability dpa_reference; $d = New-MesaDeliberation -Title bulk; " +
            "$made = @(Import-Csv -Path $csv | New-MesaEnvelope -Type dpa_reference -EmittedBy $p.Id -DeliberationId $d.Id -Keypair $kp); " +
            "$made | Export-MesaEnvelope -Path $jsonl; " +
            "$first = @($made | Select-Object -First 20 | Submit-MesaCommitment); " +
            "$second = @(Import-MesaEnvelope -Path $jsonl | Select-Object -Skip 20 | Submit-MesaCommitment); " +
            "$first.Count; $second.Count; ($first + $second).EnvelopeId -join ','; $made.Id -join ','; " +
            "(Get-MesaDeliberation -Id $d.Id).Commitments.Count",
            ("csv", csv), ("jsonl", jsonl)).AssertNoErrors();

        Assert.Equal([20, 20], result.Output.Take(2).Select(o => (int)o.BaseObject));
        Assert.Equal(result.Output[3].BaseObject, result.Output[2].BaseObject); // every envelope landed, in order, once
        Assert.Equal(40, (int)result.Output[4].BaseObject);
    }
}
