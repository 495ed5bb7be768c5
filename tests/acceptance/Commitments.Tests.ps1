#requires -Version 7.5
# Issue 10 item 7: Get-MesaCommitment lists the commitments of deliberations from their detail route, filters by
# status, type and principal, takes deliberation objects from the pipeline, has a view that reads at 80 columns,
# and refuses a v1 connection clearly.

BeforeAll {
    . (Join-Path $PSScriptRoot 'AcceptanceHelpers.ps1')
    Import-MesaUnderTest
    if (Get-SkipReason -Needs v2) { return }   # every test here needs a v2 server
    $script:token = New-TestAdminToken
    $script:policyFile = New-TestPolicyFile -Path (Join-Path $TestDrive 'policies.json')
    $script:server = Start-TestServer -AdminToken $token -PolicyPath $policyFile
    $server | Connect-Mesa
    $script:seller = New-TestPrincipal -Org 'list-seller' -Capability offer, participant_joined
    $script:buyer = New-TestPrincipal -Org 'list-buyer' -Capability offer, counter
    $script:deal = New-MesaDeliberation -Title 'Listing deal'
    $script:other = New-MesaDeliberation -Title 'Other deal'

    function Submit-As($Agent, [string] $Type, $Payload, $Deliberation = $deal) {
        New-MesaEnvelope -Type $Type -EmittedBy $Agent.Id -DeliberationId $Deliberation.Id -Payload $Payload -Keypair $Agent.Keypair |
            Submit-MesaCommitment -ErrorAction Stop
    }
    $script:made = @(
        Submit-As $seller offer (New-OfferPayload -Summary 'cheap' -Terms @{ fee_total_usd = 10 })
        Submit-As $seller offer (New-OfferPayload -Summary 'dear' -Terms @{ fee_total_usd = 50000 })
        Submit-As $seller participant_joined @{ principal = $buyer.Id; role = 'lab' }
        Submit-As $buyer counter @{ supersedes = 'x'; summary = 'counter'; terms = @{ fee_total_usd = 20000 } }
        Submit-As $buyer offer (New-OfferPayload -Summary 'elsewhere') $other
    )
}

AfterAll {
    Get-MesaLocalServer -ErrorAction SilentlyContinue | Stop-MesaLocalServer -ErrorAction SilentlyContinue
}

Describe 'Get-MesaCommitment' {
    BeforeEach { Skip-Test -Needs v2 }

    It 'lists the commitments of a deliberation, oldest first, as the detail has them' {
        Skip-Test -Needs Policies
        $listed = @(Get-MesaCommitment -DeliberationId $deal.Id)
        $listed.Id | Should -Be @($made[0..3].Id)
        $listed.Type | Should -Be @('offer', 'offer', 'participant_joined', 'counter')
        $listed.Status | Should -Be @('active', 'flagged', 'active', 'flagged')
        $listed | ForEach-Object { $_.DeliberationId | Should -Be $deal.Id }
        $listed[1].Payload['summary'] | Should -Be 'dear'
        $listed[0].PSObject.TypeNames | Should -Contain 'Mesa.DeliberationCommitment'
        $listed[0].PSObject.TypeNames | Should -Contain 'Mesa.CommitmentSummary'
        $listed[0] | Should -BeOfType ([Mesa.Client.MesaCommitmentSummary])
    }

    It 'filters by -Status, -Type (wildcards) and -PrincipalId' {
        Skip-Test -Needs Policies
        @(Get-MesaCommitment $deal.Id -Status flagged).Id | Should -Be @($made[1].Id, $made[3].Id)
        @(Get-MesaCommitment $deal.Id -Status active -Type offer).Id | Should -Be @($made[0].Id)
        @(Get-MesaCommitment $deal.Id -Type 'part*', counter).Id | Should -Be @($made[2].Id, $made[3].Id)
        @(Get-MesaCommitment $deal.Id -PrincipalId $buyer.Id).Id | Should -Be @($made[3].Id)
        @(Get-MesaCommitment $deal.Id -PrincipalId $buyer.Id -Status active).Count | Should -Be 0
    }

    It 'takes deliberations from the pipeline: objects, ids, anything with an Id or DeliberationId' {
        @($deal, $other | Get-MesaCommitment).Id | Should -Be @($made.Id)
        @($other.Id | Get-MesaCommitment).Id | Should -Be @($made[4].Id)
        @([pscustomobject]@{ Id = $other.Id } | Get-MesaCommitment).Id | Should -Be @($made[4].Id)
        @($made[4] | Get-MesaCommitment).Id | Should -Be @($made[4].Id)
        # The server may hold other deliberations (a shared one, MESA_TEST_URI): ours are among them.
        $counters = @(Get-MesaDeliberation | Get-MesaCommitment -Type counter)
        $counters.Id | Should -Contain $made[3].Id
        $counters.Type | Sort-Object -Unique | Should -Be 'counter'
        @($counters | Where-Object DeliberationId -in $deal.Id, $other.Id).Id | Should -Be @($made[3].Id)
        @(Get-MesaCommitment -Id $other.Id).Count | Should -Be 1
    }

    It 'writes not_found for an unknown deliberation and goes on with the rest' {
        $listed = 'no-such-deliberation', $other.Id | Get-MesaCommitment -ErrorVariable errs -ErrorAction SilentlyContinue
        @($listed).Id | Should -Be @($made[4].Id)
        @($errs).Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'not_found,Mesa.PowerShell.Commands.GetMesaCommitmentCommand'
        $errs[0].Exception | Should -BeOfType ([Mesa.Client.MesaNotFoundException])
        $errs[0].TargetObject | Should -Be 'no-such-deliberation'
    }

    It 'shows Id, Type, Status and CreatedAt whole on an 80-column console, every header a property' {
        $wide = @(Get-MesaCommitment -DeliberationId $deal.Id) | Format-Table | Out-String -Width 120
        $wide | Should -Match 'participant_joined'
        $listed = @(Get-MesaCommitment -DeliberationId $deal.Id)
        # An 80-column console leaves tables 79 columns (the last one is kept free).
        $text = $listed | Format-Table | Out-String -Width 79
        $lines = $text -split "`r?`n" | Where-Object { $_.Trim() }
        $headers = $lines[0] -split '\s+' | Where-Object { $_ }
        $headers | Should -Be @('Id', 'Type', 'Status', 'CreatedAt')
        foreach ($h in $headers) { $listed[0].PSObject.Properties.Name | Should -Contain $h }
        $lines | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual 79 }
        foreach ($c in $listed) {
            $text | Should -Match $c.Id
            $text | Should -Match ([regex]::Escape($c.Type))
            $text | Should -Match $c.CreatedAt.UtcDateTime.ToString('yyyy-MM-dd HH:mm:ss')
        }
        $text | Should -Not -Match '…'
    }

    It 'refuses a v1 connection with DeliberationsNotSupported, without a request' {
        Skip-Test -Needs v1, v2
        $v1 = Start-TestServer -AdminToken $token -Profile v1
        try {
            $c = $v1 | Connect-Mesa -PassThru
            $server | Connect-Mesa
            $err = Get-ErrorRecord { Get-MesaCommitment -DeliberationId $deal.Id -Connection $c -Verbose 4>&1 | ForEach-Object { throw "unexpected: $_" } }
            $err.FullyQualifiedErrorId | Should -Be 'DeliberationsNotSupported,Mesa.PowerShell.Commands.GetMesaCommitmentCommand'
            $err.Exception.Message | Should -Match 'v1'
            $err.Exception.Message | Should -Match 'Submit-MesaCommitment'
        }
        finally { Stop-MesaLocalServer -Server $v1 }
    }
}
