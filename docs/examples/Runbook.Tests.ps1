#requires -Version 7.5
<#
    Testing a mesa runbook with Pester, against a real local mesa server started by the module.
    Copy this file next to your own runbook and adapt the two marked places:

      1. The module. Set $env:MESA_MODULE_PATH to the path of Mesa.psd1, or install the module so that
         'Import-Module Mesa' finds it. (In the Mesa.PowerShell repository the build output is used.)
      2. The runbook. Replace the two functions under "The runbook under test" with a dot-source of your
         own script, e.g.  . (Join-Path $PSScriptRoot 'Invoke-LicenceRunbook.ps1')

    Run it with:  Invoke-Pester ./Runbook.Tests.ps1 -Output Detailed
    Nothing here needs Python, PostgreSQL, Docker or a network: the server listens on 127.0.0.1 only,
    keeps its data in memory and is stopped in AfterAll (and, failing that, when pwsh exits).
#>

BeforeAll {
    # --- 1. The module -----------------------------------------------------------------------------------------
    $repoBuild = Join-Path $PSScriptRoot '../../out/Mesa/Mesa.psd1'
    $module = if ($env:MESA_MODULE_PATH) { $env:MESA_MODULE_PATH }
              elseif (Test-Path $repoBuild) { $repoBuild }
              else { 'Mesa' }
    Import-Module $module -ErrorAction Stop

    # --- 2. The runbook under test -----------------------------------------------------------------------------
    # Registers an agent with a fresh key and grants it the commitment types it may emit.
    function Register-Agent {
        param([Parameter(Mandatory)][string] $Org, [Parameter(Mandatory)][string[]] $Capability)
        $keypair = New-MesaKeypair
        $principal = $keypair | New-MesaPrincipal -Org $Org | Set-MesaCapability -Capability $Capability
        [pscustomobject]@{ Id = $principal.Id; Keypair = $keypair }
    }

    # Signs and submits a licence offer inside a deliberation; returns the commitment (Status, Decision).
    function Submit-LicenceOffer {
        param(
            [Parameter(Mandatory)] $Agent,
            [Parameter(Mandatory)][string] $DeliberationId,
            [Parameter(Mandatory)][double] $FeeUsd,
            [int] $TermMonths = 12,
            [double] $DiscountPct = 0
        )
        $payload = @{
            summary = "Licence: $FeeUsd USD for $TermMonths months"
            terms   = @{ fee_total_usd = $FeeUsd; term_months = $TermMonths; discount_pct = $DiscountPct }
        }
        New-MesaEnvelope -Type offer -EmittedBy $Agent.Id -DeliberationId $DeliberationId -Payload $payload -Keypair $Agent.Keypair |
            Submit-MesaCommitment -ErrorAction Stop
    }

    # --- The server and its policies -----------------------------------------------------------------------------
    # The policies your production server runs (protocol section 8): here, flag big spend, route long terms to
    # legal, block deep discounts.
    $policyPath = Join-Path $TestDrive 'policies.json'
    @'
[
  { "name": "review-big-spend", "scope_kind": "global", "predicate_name": "spend_over_cap",
    "params": { "cap": 25000 }, "action": "flag" },
  { "name": "legal-for-long-terms", "scope_kind": "global", "predicate_name": "term_months_over_cap",
    "params": { "cap": 24 }, "action": "route", "route_to": "legal@example.org" },
  { "name": "no-deep-discounts", "scope_kind": "global", "predicate_name": "agent_discount_over_cap",
    "params": { "cap": 20 }, "action": "block" }
]
'@ | Set-Content -Path $policyPath

    # A free port, an in-memory store, a generated admin token; -Connect makes it this session's default
    # connection (admin token included), so Set-MesaCapability works right away.
    $script:server = Start-MesaLocalServer -PolicyPath $policyPath -Connect

    $script:seller = Register-Agent -Org 'acme-data' -Capability offer, counter
    $script:deal = New-MesaDeliberation -Title 'News archive licence' -CounterpartySlug 'globex'
}

AfterAll {
    if ($script:server) { Stop-MesaLocalServer -Server $script:server }
}

Describe 'licence runbook' {
    It 'stores an ordinary offer as active' {
        $c = Submit-LicenceOffer -Agent $seller -DeliberationId $deal.Id -FeeUsd 12000
        $c.Status | Should -Be 'active'
        $c.Decision.Action | Should -Be 'allow'
    }

    It 'flags a big spend for review' {
        $c = Submit-LicenceOffer -Agent $seller -DeliberationId $deal.Id -FeeUsd 40000
        $c.Status | Should -Be 'flagged'
        $c.Decision.Action | Should -Be 'flag'
        $c.Decision.Applied.PolicyName | Should -Be 'review-big-spend'
    }

    It 'routes a long term to legal' {
        $c = Submit-LicenceOffer -Agent $seller -DeliberationId $deal.Id -FeeUsd 5000 -TermMonths 36
        $c.Decision.Action | Should -Be 'route'
        $c.Decision.Applied.RouteTo | Should -Be 'legal@example.org'
    }

    It 'is blocked on a deep discount, with a typed error' {
        { Submit-LicenceOffer -Agent $seller -DeliberationId $deal.Id -FeeUsd 5000 -DiscountPct 35 } |
            Should -Throw -ExceptionType ([Mesa.Client.MesaForbiddenException]) -ErrorId 'policy_blocked,*'
    }

    It 'tells which policy blocked it' {
        try {
            Submit-LicenceOffer -Agent $seller -DeliberationId $deal.Id -FeeUsd 5000 -DiscountPct 50
            throw 'expected policy_blocked'
        }
        catch [Mesa.Client.MesaForbiddenException] {
            $_.Exception.Code | Should -Be 'policy_blocked'
            $_.Exception.GetDetailValue('policy_name') | Should -Be 'no-deep-discounts'
        }
    }

    It 'is refused a commitment type it was not granted' {
        $observer = Register-Agent -Org 'observer' -Capability approval
        { Submit-LicenceOffer -Agent $observer -DeliberationId $deal.Id -FeeUsd 100 } |
            Should -Throw -ErrorId 'authority_denied,*'
    }

    It 'leaves the accepted offers, and only those, in the deliberation' {
        $detail = Get-MesaDeliberation -Id $deal.Id
        @($detail.Commitments).Count | Should -Be 3
        ($detail.Commitments.Status | Sort-Object) | Should -Be @('active', 'flagged', 'flagged')
    }
}
