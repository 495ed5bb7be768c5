using System.Management.Automation;

namespace Mesa.PowerShell.Tests;

/// <summary>
/// Real objects of every type the module shows, made by the cmdlets against a bundled server started in this
/// session (a SQLite file, the flag and route policies, a principal with several capabilities, a long title, a
/// multi-line turn, a flagged and an allowed commitment). Each is a global variable of <see cref="Session"/>.
/// </summary>
public sealed class ViewSamples : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mesa-views-" + Guid.NewGuid().ToString("N"));

    /// <summary>The long free-text values, so that tests can check they come out whole.</summary>
    public const string Org = "Northwind Traders data licensing desk";
    public const string Title = "Licence for the 1990 to 2025 news archive with photographs, captions and later amendments";
    public const string TurnContent = "Opening: we want the whole archive from 1990 to 2025, photographs and captions included, for model training.\nSecond line: price to follow.";
    public static readonly string[] Capabilities = ["offer", "counter", "license_terms", "usage_restriction", "participant_joined", "scope_clause"];

    public ViewSamples()
    {
        Directory.CreateDirectory(_folder);
        var policies = Path.Combine(_folder, "policies.json");
        File.WriteAllText(policies, """
            [
              {"id": "pol-flag-spend", "name": "flag-large-spend", "scope_kind": "global", "scope_ref": null,
               "predicate_name": "spend_over_cap", "params": {"cap": 10000}, "action": "flag", "route_to": null, "enabled": true},
              {"id": "pol-route-term", "name": "route-long-term", "scope_kind": "global", "scope_ref": null,
               "predicate_name": "term_months_over_cap", "params": {"cap": 24}, "action": "route", "route_to": "legal-review", "enabled": true}
            ]
            """);
        Session.Run("""
            $ErrorActionPreference = 'Stop'
            $global:server = Start-MesaLocalServer -Connect -PolicyPath $policies -DatabasePath (Join-Path $folder 'mesa.db')
            $global:connection = Get-MesaConnection
            $global:key = New-MesaKeypair
            $global:principal = $key | New-MesaPrincipal -Org $org | Set-MesaCapability -Capability $capabilities
            $global:deliberation = New-MesaDeliberation -Title $title -CounterpartySlug 'umbrella-corp' -Stage amendment
            $global:turn = Add-MesaTurn -DeliberationId $deliberation.Id -Content $content -EmittedBy $principal.Id -Keypair $key
            function Offer([hashtable] $terms) {
                New-MesaEnvelope -Type offer -EmittedBy $principal.Id -DeliberationId $deliberation.Id -Keypair $key `
                    -Payload ([ordered]@{ summary = 'Archive licence, 60 months'; terms = $terms })
            }
            $global:routed = Offer @{ fee_total_usd = 99999; term_months = 60 } | Submit-MesaCommitment
            $global:allowed = Offer @{ fee_total_usd = 10 } | Submit-MesaCommitment
            $global:envelope = New-MesaEnvelope -Type usage_restriction -EmittedBy $principal.Id -DeliberationId $deliberation.Id -Keypair $key `
                -Payload ([ordered]@{ summary = 'No redistribution of photographs'; terms = [ordered]@{ fee_total_usd = 18000; regions = @('EU', 'UK'); note = 'caption text may be quoted' } })
            $global:detail = Get-MesaDeliberation -Id $deliberation.Id
            $global:listed = @(Get-MesaCommitment -DeliberationId $deliberation.Id)
            $global:connectionTest = Test-MesaConnection
            $global:failedTest = Test-MesaConnection -Connection $closed
            $global:health = $connection.Client.GetHealthAsync([Threading.CancellationToken]::None).GetAwaiter().GetResult()
            """,
            ("policies", policies), ("folder", _folder), ("org", Org), ("capabilities", Capabilities), ("title", Title),
            ("content", TurnContent), ("closed", ClosedPort.NewConnection())).AssertNoErrors();
    }

    /// <summary>The session that holds the objects (and owns the server).</summary>
    public PowerShellSession Session { get; } = new();

    /// <summary>
    /// One object of each shown type, by the expression that gives it: what a user has in hand after the quickstart.
    /// </summary>
    public static readonly string[] Expressions =
    [
        "$principal", "$key", "$deliberation", "$detail", "$turn", "$routed", "$allowed", "$routed.Decision",
        "$routed.Decision.Applied[1]", "$detail.Commitments[0]", "$listed[0]", "$envelope", "$connection", "$connectionTest", "$failedTest",
        "$health", "$server",
    ];

    /// <summary>Evaluates one of <see cref="Expressions"/>.</summary>
    public PSObject Get(string expression) => Session.RunSingle(expression);

    /// <summary>Stops the server, closes the session and removes the database and policies.</summary>
    public void Dispose()
    {
        Session.Run("Stop-MesaLocalServer");
        Session.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held on Windows; the temp folder is cleaned later.
        }
    }
}
