using System.Management.Automation;
using Mesa.Client;

namespace Mesa.PowerShell.Tests;

/// <summary>
/// Runs every script block of every Mesa view directly over sample objects. PowerShell strips escape codes from
/// PlainText output on its own, so only this shows that the views themselves honour $PSStyle.OutputRendering and
/// end each coloured value with $PSStyle.Reset.
/// </summary>
[Collection(OutputRenderingCollection.Name)]
public sealed class FormatScriptBlockTests(PowerShellSession pwsh) : IClassFixture<PowerShellSession>
{
    private const string Esc = "\u001b";
    private const string Reset = "\u001b[0m";

    private const string RunEveryScriptBlock = """
        $PSStyle.OutputRendering = $mode
        foreach ($sample in $samples) {
            # The views of the first type name that has any, as PowerShell picks them (views select on .NET names).
            $selected = @($sample.PSTypeNames | Where-Object { Get-FormatData -TypeName $_ } | Select-Object -First 1)
            foreach ($definition in @($selected | ForEach-Object { Get-FormatData -TypeName $_ })) {
                foreach ($view in $definition.FormatViewDefinition) {
                    $control = $view.Control
                    $entries = if ($control -is [System.Management.Automation.TableControl]) { $control.Rows.Columns.DisplayEntry }
                        elseif ($control -is [System.Management.Automation.ListControl]) { $control.Entries.Items.DisplayEntry }
                        elseif ($control -is [System.Management.Automation.CustomControl]) { $control.Entries.CustomItems.Expression }
                    foreach ($entry in @($entries | Where-Object { $_.ValueType -eq 'ScriptBlock' })) {
                        $block = [scriptblock]::Create($entry.Value)
                        [pscustomobject]@{ View = $view.Name; Value = [string](@($sample | ForEach-Object $block) -join "`n") }
                    }
                }
            }
        }
        """;

    private static PSObject[] Samples(PowerShellSession session)
    {
        var created = DateTimeOffset.UtcNow;
        var decision = new MesaDecision { Action = "route", Applied = [new MesaAppliedPolicy { PolicyId = "1", PolicyName = "p", Action = "route", RouteTo = "legal" }] };
        var summaries = new[] { new MesaCommitmentSummary { Id = "c", Type = "offer", Status = "active" }, new MesaCommitmentSummary { Id = "d", Type = "offer", Status = "flagged" } };
        var localServer = session.Run(
            "[pscustomobject]@{ PSTypeName = 'Mesa.LocalServer'; Uri = [uri]'http://127.0.0.1:1/'; ProcessId = 1; Profile = 'V2'; HasExited = $false; Responding = $true; AdminToken = $null; StartedAt = [DateTimeOffset]::UtcNow; DatabasePath = ':memory:' }").AssertNoErrors().Output;
        var keypairAndEnvelope = session.Run("$k = New-MesaKeypair; $k; New-MesaEnvelope -Type offer -EmittedBy me -Payload @{ a = 1 } -Keypair $k; New-MesaEnvelope -Type offer -EmittedBy me -Payload @{ a = 1 }").AssertNoErrors().Output;
        return
        [
            ModuleObject.Wrap(new MesaCommitment { Id = "a", Type = "offer", Status = "active", Decision = new MesaDecision { Action = "allow" } }, "Mesa.Commitment"),
            ModuleObject.Wrap(new MesaCommitment { Id = "b", Type = "offer", Status = "flagged", Decision = decision }, "Mesa.Commitment"),
            ModuleObject.Wrap(decision, "Mesa.Decision"),
            ModuleObject.Wrap(new MesaDecision { Action = "block" }, "Mesa.Decision"),
            ModuleObject.Wrap(decision.Applied[0], "Mesa.AppliedPolicy"),
            ModuleObject.Wrap(new MesaPrincipal { Id = "p", Org = "o", PublicKey = new string('a', 64), Capabilities = ["offer"], CreatedAt = created }, "Mesa.Principal"),
            keypairAndEnvelope[0], keypairAndEnvelope[1], keypairAndEnvelope[2],
            ModuleObject.Wrap(ClosedPort.NewConnection(), "Mesa.Connection"),
            ModuleObject.Wrap(new MesaConnectionTest(new Uri("http://x/"), true, "ok", 1.5, null), "Mesa.ConnectionTest"),
            ModuleObject.Wrap(new MesaConnectionTest(new Uri("http://x/"), false, "ConnectionFailed", 1.5, "down"), "Mesa.ConnectionTest"),
            ModuleObject.Wrap(new MesaDeliberation { Id = "d", Title = "t", Stage = "offer", Status = "open", CreatedAt = created }, "Mesa.Deliberation"),
            ModuleObject.Wrap(new MesaDeliberation { Id = "d", Title = "t", Stage = "offer", Status = "closed", CreatedAt = created }, "Mesa.Deliberation"),
            ModuleObject.Wrap(new MesaDeliberationDetail { Id = "d", Title = "t", Stage = "offer", Status = "open", CreatedAt = created, Turns = [new MesaTurn { Index = 0, SpeakerId = "s", Content = "hi" }], Commitments = summaries }, "Mesa.DeliberationDetail"),
            ModuleObject.Wrap(new MesaTurn { Id = "t", Index = 0, SpeakerId = "s", Content = "hi", CreatedAt = created }, "Mesa.Turn"),
            ModuleObject.Wrap(summaries[0], "Mesa.CommitmentSummary"),
            ModuleObject.Wrap(summaries[1], "Mesa.CommitmentSummary"),
            localServer[0],
        ];
    }

    [Fact]
    public void Plain_text_script_blocks_emit_no_escapes()
    {
        var values = pwsh.Run(RunEveryScriptBlock, ("mode", "PlainText"), ("samples", Samples(pwsh))).AssertNoErrors().Output;

        Assert.True(values.Count >= 25, $"only {values.Count} script blocks ran; the views did not load");
        // Ordinal: under ICU a culture-aware search treats ESC as ignorable and "finds" it everywhere.
        Assert.All(values, v => Assert.DoesNotContain(Esc, (string)v.Properties["Value"].Value, StringComparison.Ordinal));
    }

    [Fact]
    public void Ansi_script_blocks_colour_and_end_every_colour_with_reset()
    {
        var values = pwsh.Run(RunEveryScriptBlock, ("mode", "Ansi"), ("samples", Samples(pwsh))).AssertNoErrors().Output
            .Select(v => (View: (string)v.Properties["View"].Value, Value: (string)v.Properties["Value"].Value)).ToList();
        var coloured = values.Where(v => v.Value.Contains(Esc, StringComparison.Ordinal)).ToList();

        Assert.Contains(coloured, v => v.View == "Mesa.Commitment" && v.Value == "\u001b[32mactive" + Reset);
        Assert.Contains(coloured, v => v.View == "Mesa.Commitment" && v.Value == "\u001b[33mflagged" + Reset);
        Assert.Contains(coloured, v => v.View == "Mesa.DeliberationDetail");
        Assert.All(coloured, v => Assert.True(
            v.Value[v.Value.LastIndexOf(Esc, StringComparison.Ordinal)..].StartsWith(Reset, StringComparison.Ordinal),
            $"{v.View}: the last escape sequence is not a reset in {v.Value}"));
    }
}
