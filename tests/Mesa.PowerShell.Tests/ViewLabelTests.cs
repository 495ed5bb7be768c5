using System.Management.Automation;

namespace Mesa.PowerShell.Tests;

/// <summary>
/// What a view shows can be filtered and selected by the name it shows: every column label and list label of every view
/// in the shipped Mesa.format.ps1xml is a property (or alias property) of a real object of that view's type. Format-List
/// shows nested objects as text, and ConvertTo-Json gives values, not the insides of .NET types.
/// </summary>
[Collection(OutputRenderingCollection.Name)]
public sealed class ViewLabelTests(ViewSamples samples) : IClassFixture<ViewSamples>
{
    [Fact]
    public void Every_label_of_every_view_is_a_property_of_a_real_object()
    {
        var objects = ViewSamples.Expressions.Select(e => (Expression: e, Object: samples.Get(e))).ToList();
        var views = FormatFile.ReadViews();
        Assert.True(views.Count >= 15, $"only {views.Count} views read");

        foreach (var view in views.Where(v => v.Labels.Length > 0))
        {
            var sample = objects.FirstOrDefault(o => o.Object.TypeNames.Intersect(view.Types).Any());
            Assert.True(sample.Object is not null, $"no sample object for view {view.Name} ({string.Join(", ", view.Types)}); add one to ViewSamples.Expressions");
            foreach (var label in view.Labels)
            {
                Assert.True(
                    sample.Object.Properties[label] is not null,
                    $"view {view.Name} shows '{label}', which is no property of {sample.Expression} ({sample.Object.TypeNames[0]})");
            }
        }
    }

    [Fact]
    public void Labels_filter_and_select()
    {
        var result = samples.Session.Run("""
            @($key) | Where-Object PublicKey -eq $principal.PublicKey | ForEach-Object { 'key' }
            @($routed, $allowed) | Where-Object Action -eq 'route' | ForEach-Object { 'routed:' + $_.Id }
            @($routed, $allowed) | Where-Object Policies -contains 'route-long-term' | ForEach-Object { 'policy:' + $_.Id }
            @($envelope) | Where-Object IsSigned | ForEach-Object { 'signed' }
            @($connection) | Where-Object HasAdminToken | ForEach-Object { 'admin' }
            ($routed | Select-Object Action, Policies | ConvertTo-Json -Compress)
            """).AssertNoErrors();
        var routedId = samples.Session.RunSingle("$routed.Id").BaseObject;
        Assert.Equal(
            ["key", $"routed:{routedId}", $"policy:{routedId}", "signed", "admin", """{"Action":"route","Policies":["flag-large-spend","route-long-term"]}"""],
            result.Output.Select(o => o.BaseObject.ToString()).ToArray());
        Assert.Equal("allow", samples.Session.RunSingle("$allowed.Action").BaseObject);
        Assert.Equal(0, samples.Session.RunSingle("$allowed.Policies.Count").BaseObject);
    }

    [Fact]
    public void Format_list_shows_nested_objects_as_text()
    {
        var commitment = samples.Session.Run("$PSStyle.OutputRendering = 'PlainText'; $routed | Format-List | Out-String -Width 250").AssertNoErrors().Text;
        Assert.Matches(@"Decision\s+:\s+route; applied: flag-large-spend \(flag\), route-long-term \(route -> legal-review\)", commitment);
        Assert.Matches(@"Action\s+:\s+route", commitment);
        Assert.Matches(@"Policies\s+:\s+\{flag-large-spend, route-long-term\}", commitment);
        var allowed = samples.Session.Run("$allowed | Format-List | Out-String -Width 250").AssertNoErrors().Text;
        Assert.Matches(@"Decision\s+:\s+allow; applied: none", allowed);

        var detail = samples.Session.Run("$detail | Format-List | Out-String -Width 400").AssertNoErrors().Text;
        var speaker = samples.Session.RunSingle("$principal.Id").BaseObject;
        Assert.Contains($"{{[0] {speaker}: Opening: we want", detail, StringComparison.Ordinal);
        Assert.Contains($"offer flagged {samples.Session.RunSingle("$routed.Id").BaseObject} by {speaker}", detail, StringComparison.Ordinal);

        // No record dumps ("MesaX { A = ... }") or collection type names in any object's full list.
        foreach (var expression in ViewSamples.Expressions)
        {
            var text = samples.Session.Run($"{expression} | Format-List * | Out-String -Width 400").AssertNoErrors().Text;
            Assert.DoesNotMatch(@"System\.Collections|Mesa\.Client\.|\bMesa\w+ \{ ", text);
        }
    }

    [Fact]
    public void Convert_to_json_gives_the_payload_and_no_opaque_values()
    {
        var result = samples.Session.Run("""
            $back = $envelope | ConvertTo-Json -Depth 10 | ConvertFrom-Json
            $back.Payload.summary
            $back.Payload.terms.fee_total_usd
            $back.Payload.terms.regions -join ','
            $back.Payload.terms.note
            $back.Id -eq $envelope.Id
            """).AssertNoErrors();
        Assert.Equal(["No redistribution of photographs", "18000", "EU,UK", "caption text may be quoted", "True"], result.Output.Select(o => o.BaseObject.ToString()).ToArray());

        foreach (var expression in ViewSamples.Expressions)
        {
            var json = samples.Session.RunSingle($"{expression} | ConvertTo-Json -Depth 10 -WarningAction SilentlyContinue").BaseObject.ToString()!;
            Assert.DoesNotContain("ValueKind", json, StringComparison.Ordinal);
        }

        // The signed bytes are what they were: the envelope still verifies and its wire JSON still carries the payload as made.
        Assert.True((bool)samples.Session.RunSingle("Test-MesaEnvelope -Envelope $envelope -Keypair $key").BaseObject);
        Assert.Contains(
            (string)samples.Session.RunSingle("$envelope.PayloadJson").BaseObject,
            (string)samples.Session.RunSingle("$envelope.ToWireJson()").BaseObject,
            StringComparison.Ordinal);
    }
}
