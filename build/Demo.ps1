#requires -Version 7.5
<#
.SYNOPSIS
    The mesa quickstart against a local server, with formatted output.
.DESCRIPTION
    Starts the local mesa server bundled with the module (with a demo policy), registers two principals, opens a
    deliberation with a few turns, submits an active, a flagged and a blocked commitment, shows the transcript,
    and stops the server whatever happens. build.ps1 Demo builds the module and runs this.
.EXAMPLE
    dotnet pwsh ./build/Demo.ps1 -ModulePath ./out/Mesa/Mesa.psd1
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)]
    [string] $ModulePath
)

$ErrorActionPreference = 'Stop'
# A relative path is resolved here: Import-Module would look a bare "out/Mesa/Mesa.psd1" up as a module name.
Import-Module (Resolve-Path -LiteralPath $ModulePath).ProviderPath

function Write-Step([string] $Text) {
    Write-Host ''
    Write-Host "== $Text" -ForegroundColor Cyan
}

function Write-Note([string] $Text) {
    Write-Host "   $Text" -ForegroundColor DarkGray
}

# Shows objects through the module's format views. A terminal gets them as they are (its own width, colours);
# redirected output (CI logs) would be cut at 80 columns, so it gets a wider rendering.
function Show-Output {
    param([Parameter(ValueFromPipeline)] $InputObject)
    begin { $items = [System.Collections.Generic.List[object]]::new() }
    process { $items.Add($InputObject) }
    end {
        if ([Console]::IsOutputRedirected) { $items | Out-String -Width 160 | Write-Host }
        else { $items | Out-Host }
    }
}

# The demo policies (protocol section 8): review big spends, send long terms to legal, refuse deep discounts.
$policies = @(
    [ordered]@{ name = 'review-spend-over-25k'; scope_kind = 'global'; predicate_name = 'spend_over_cap'; params = @{ cap = 25000 }; action = 'flag' }
    [ordered]@{ name = 'legal-for-terms-over-24m'; scope_kind = 'global'; predicate_name = 'term_months_over_cap'; params = @{ cap = 24 }; action = 'route'; route_to = 'legal@acme.example' }
    [ordered]@{ name = 'no-discount-over-20pct'; scope_kind = 'global'; predicate_name = 'agent_discount_over_cap'; params = @{ cap = 20 }; action = 'block' }
)
$policyPath = Join-Path ([System.IO.Path]::GetTempPath()) "mesa-demo-policies-$PID.json"
ConvertTo-Json -InputObject $policies -Depth 5 | Set-Content -Path $policyPath

$server = $null
try {
    Write-Step 'Starting a local mesa server (127.0.0.1, in-memory store, generated admin token)'
    $server = Start-MesaLocalServer -PolicyPath $policyPath -Connect
    Write-Note "Listening on $($server.Uri) (process $($server.ProcessId), protocol $($server.Profile)); it is now the default connection."
    Write-Note 'Policies in effect:'
    $policies | ForEach-Object { [pscustomobject]@{ Name = $_.name; Predicate = $_.predicate_name; Cap = $_.params.cap; Action = $_.action; RouteTo = $_.route_to } } |
        Format-Table -AutoSize | Show-Output

    Write-Step 'Registering two principals and granting capabilities'
    $labKey = New-MesaKeypair
    $publisherKey = New-MesaKeypair
    $lab = $labKey | New-MesaPrincipal -Org 'Acme AI Lab' | Set-MesaCapability -Capability offer, counter
    $publisher = $publisherKey | New-MesaPrincipal -Org 'Globex Publishing' | Set-MesaCapability -Capability offer, approval
    Get-MesaPrincipal | Show-Output

    Write-Step 'Opening a deliberation'
    $deal = New-MesaDeliberation -Title 'News archive licence, 2015-2025' -CounterpartySlug 'globex' -Stage offer
    $deal | Show-Output

    Write-Step 'Talking it through (signed turns)'
    $turns = @(
        Add-MesaTurn -DeliberationId $deal.Id -EmittedBy $lab.Id -Keypair $labKey -Content 'We would like to license the news archive for model training.'
        Add-MesaTurn -DeliberationId $deal.Id -EmittedBy $publisher.Id -Keypair $publisherKey -Content 'Happy to talk. Ten years of articles, EU and US editions.'
        Add-MesaTurn -DeliberationId $deal.Id -EmittedBy $lab.Id -Keypair $labKey -Content 'Sending an offer for twelve months now.'
    )
    $turns | Show-Output

    Write-Step 'Submitting commitments'
    function New-Offer($Summary, $Terms) {
        New-MesaEnvelope -Type offer -EmittedBy $lab.Id -DeliberationId $deal.Id -Keypair $labKey -Payload @{ summary = $Summary; terms = $Terms }
    }
    $active = New-Offer 'Twelve months, 18k USD' @{ fee_total_usd = 18000; term_months = 12 } | Submit-MesaCommitment
    $flagged = New-Offer 'Three years, 60k USD' @{ fee_total_usd = 60000; term_months = 36 } | Submit-MesaCommitment
    $active, $flagged | Show-Output
    Write-Note 'Why the second one was flagged:'
    $flagged.Decision | Show-Output

    Write-Step 'A commitment a policy blocks'
    try {
        New-Offer 'Twelve months, 35% off' @{ fee_total_usd = 18000; term_months = 12; discount_pct = 35 } | Submit-MesaCommitment -ErrorAction Stop
    }
    catch [Mesa.Client.MesaForbiddenException] {
        Write-Host "   Refused: $($_.Exception.Message)" -ForegroundColor Yellow
        Write-Note "Exception:             [$($_.Exception.GetType().FullName)] (HTTP $($_.Exception.StatusCode))"
        Write-Note "Code:                  $($_.Exception.Code)"
        Write-Note "Policy:                $($_.Exception.GetDetailValue('policy_name'))"
        Write-Note "FullyQualifiedErrorId: $($_.FullyQualifiedErrorId)"
        Write-Note "Category:              $($_.CategoryInfo.Category)"
    }

    Write-Step 'The transcript'
    Get-MesaDeliberation -Id $deal.Id | Show-Output
}
finally {
    if ($server) {
        Stop-MesaLocalServer -Server $server
        Write-Host ''
        Write-Host "== Stopped the local server (process $($server.ProcessId))." -ForegroundColor Cyan
    }
    Remove-Item -Path $policyPath -ErrorAction SilentlyContinue
}
