#requires -Version 7.5
# Submit-MesaCommitment in bulk, as a runbook uses it: -ThrottleLimit, -JournalPath and its resume, the summary, and
# the journal's refusals with their error ids.

BeforeAll {
    . (Join-Path $PSScriptRoot 'AcceptanceHelpers.ps1')
    Import-MesaUnderTest
    if (Get-SkipReason -Needs v2) { return }   # every test here needs a v2 server
    $script:token = New-TestAdminToken
    $script:policyFile = New-TestPolicyFile -Path (Join-Path $TestDrive 'policies.json')
    $script:server = Start-TestServer -AdminToken $token -PolicyPath $policyFile
    $script:server | Connect-Mesa
    $script:acme = New-TestPrincipal -Org 'acme-bulk' -Capability offer

    # Signed offers in a fresh deliberation; the positions in -Blocked ask for a discount the policy blocks.
    function New-Batch {
        param([int] $Count, [int[]] $Blocked = @())
        $deal = New-MesaDeliberation -Title "bulk $Count"
        $envelopes = [Mesa.Client.MesaEnvelope[]]@(1..$Count | ForEach-Object {
                $terms = if ($Blocked -contains $_) { @{ discount_pct = 50 } } else { @{ fee_total_usd = $_ } }
                New-MesaEnvelope -Type offer -EmittedBy $acme.Id -DeliberationId $deal.Id -Payload (New-OfferPayload -Summary "item $_" -Terms $terms) -Keypair $acme.Keypair
            })
        [pscustomobject]@{ Deal = $deal; Envelopes = $envelopes }
    }

    function Read-Journal([string] $Path) { Get-Content -Path $Path | ForEach-Object { $_ | ConvertFrom-Json } }
}

AfterAll {
    Stop-TestServer $script:server
}

Describe 'Submit-MesaCommitment -ThrottleLimit' {
    BeforeEach { Skip-Test -Needs v2 }

    It 'returns the commitments in input order at -ThrottleLimit 8' {
        $batch = New-Batch -Count 200
        $commitments = $batch.Envelopes | Submit-MesaCommitment -ThrottleLimit 8
        $commitments.EnvelopeId | Should -Be $batch.Envelopes.Id
        @((Get-MesaDeliberation -Id $batch.Deal.Id).Commitments).Count | Should -Be 200
    }

    It 'refuses a ThrottleLimit outside 1 to 64' {
        $batch = New-Batch -Count 1
        { Submit-MesaCommitment -Envelope $batch.Envelopes -ThrottleLimit 65 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Mesa.PowerShell.Commands.SubmitMesaCommitmentCommand'
    }

    It 'ends a run of several envelopes with one MesaSummary counting each outcome' {
        Skip-Test -Needs Policies
        $batch = New-Batch -Count 20 -Blocked 5, 6
        $null = Submit-MesaCommitment -Envelope $batch.Envelopes -ThrottleLimit 4 -InformationVariable info -ErrorAction SilentlyContinue
        $summary = @($info | Where-Object Tags -Contains 'MesaSummary')
        $summary.Count | Should -Be 1
        $summary[0].MessageData.Received | Should -Be 20
        $summary[0].MessageData.Active | Should -Be 18
        $summary[0].MessageData.RefusedByCode['policy_blocked'] | Should -Be 2
        "$($summary[0].MessageData)" | Should -Match '^20 envelopes in .*18 active, 0 flagged, 2 refused \(policy_blocked 2\)'
    }
}

Describe 'Submit-MesaCommitment -JournalPath' {
    BeforeEach { Skip-Test -Needs v2 }

    It 'journals every outcome and a rerun sends nothing that landed' {
        Skip-Test -Needs Policies
        $batch = New-Batch -Count 30 -Blocked 10
        $journal = Join-Path $TestDrive 'resume.jsonl'
        $first = Submit-MesaCommitment -Envelope $batch.Envelopes -ThrottleLimit 8 -JournalPath $journal -ErrorAction SilentlyContinue -ErrorVariable refused
        @($first).Count | Should -Be 29
        $refused[0].FullyQualifiedErrorId | Should -Be 'policy_blocked,Mesa.PowerShell.Commands.SubmitMesaCommitmentCommand'
        $lines = @(Read-Journal $journal)
        $lines.Count | Should -Be 30
        @($lines | Where-Object outcome -EQ 'landed').Count | Should -Be 29
        $blocked = $lines | Where-Object outcome -EQ 'refused'
        $blocked.envelope_id | Should -Be $batch.Envelopes[9].Id
        $blocked.http_status | Should -Be 403
        $blocked.code | Should -Be 'policy_blocked'
        $lines[0].server | Should -Be $server.Uri.AbsoluteUri

        $second = Submit-MesaCommitment -Envelope $batch.Envelopes -ThrottleLimit 8 -JournalPath $journal -ErrorAction SilentlyContinue -InformationVariable info
        @($second).Count | Should -Be 0
        ($info | Where-Object Tags -Contains 'MesaSummary').MessageData.Skipped | Should -Be 29
        @((Get-MesaDeliberation -Id $batch.Deal.Id).Commitments).Count | Should -Be 29
    }

    It 'accounts for every envelope when -ErrorAction Stop ends the run at a refusal' {
        Skip-Test -Needs Policies
        $batch = New-Batch -Count 40 -Blocked 12
        $journal = Join-Path $TestDrive 'stop.jsonl'
        { Submit-MesaCommitment -Envelope $batch.Envelopes -ThrottleLimit 8 -JournalPath $journal -ErrorAction Stop } |
            Should -Throw -ErrorId 'policy_blocked,Mesa.PowerShell.Commands.SubmitMesaCommitmentCommand'
        $latest = @{}
        Read-Journal $journal | ForEach-Object { $latest[$_.envelope_id] = $_ }
        $latest.Count | Should -Be 40
        $landed = @($latest.Values | Where-Object outcome -EQ 'landed')
        $stored = @((Get-MesaDeliberation -Id $batch.Deal.Id).Commitments)
        ($stored.Id | Sort-Object) | Should -Be ($landed.commitment_id | Sort-Object)
        # The lock went with the run: the rest can be sent.
        $rest = Submit-MesaCommitment -Envelope $batch.Envelopes -JournalPath $journal -ErrorAction SilentlyContinue
        @((Get-MesaDeliberation -Id $batch.Deal.Id).Commitments).Count | Should -Be 39
        @($rest).Count | Should -Be (39 - $landed.Count)
    }

    It 'sends an envelope given twice in one journaled run once, the copy a DuplicateEnvelope error' {
        $batch = New-Batch -Count 3
        $journal = Join-Path $TestDrive 'twice.jsonl'
        $twice = @($batch.Envelopes) + $batch.Envelopes[1]
        $out = $twice | Submit-MesaCommitment -ThrottleLimit 4 -JournalPath $journal -ErrorAction SilentlyContinue -ErrorVariable problems
        @($out).Count | Should -Be 3
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'DuplicateEnvelope,Mesa.PowerShell.Commands.SubmitMesaCommitmentCommand'
        $problems[0].TargetObject.Id | Should -Be $batch.Envelopes[1].Id
        @((Get-MesaDeliberation -Id $batch.Deal.Id).Commitments).Count | Should -Be 3
    }

    It 'refuses an envelope journaled as unknown unless -Force, naming its deliberation' {
        $batch = New-Batch -Count 2
        $journal = Join-Path $TestDrive 'unknown.jsonl'
        $line = [ordered]@{ envelope_id = $batch.Envelopes[1].Id; outcome = 'unknown'; time = '2026-01-01T00:00:00.000Z'; server = $server.Uri.AbsoluteUri }
        Set-Content -Path $journal -Value ($line | ConvertTo-Json -Compress)
        $out = Submit-MesaCommitment -Envelope $batch.Envelopes -JournalPath $journal -ErrorAction SilentlyContinue -ErrorVariable problems
        @($out).Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'OutcomeUnknownInJournal,Mesa.PowerShell.Commands.SubmitMesaCommitmentCommand'
        $problems[0].TargetObject.Id | Should -Be $batch.Envelopes[1].Id
        $problems[0].Exception.Message | Should -Match ([regex]::Escape($batch.Deal.Id))
        (Submit-MesaCommitment -Envelope $batch.Envelopes -JournalPath $journal -Force).EnvelopeId | Should -Be $batch.Envelopes[1].Id
    }

    It 'stops before sending with JournalCorrupt naming the line' {
        $batch = New-Batch -Count 2
        $journal = Join-Path $TestDrive 'corrupt.jsonl'
        $good = [ordered]@{ envelope_id = 'evt_1'; outcome = 'landed'; time = '2026-01-01T00:00:00.000Z'; server = $server.Uri.AbsoluteUri } | ConvertTo-Json -Compress
        Set-Content -Path $journal -Value $good, 'garbage', $good
        $err = Get-ErrorRecord { Submit-MesaCommitment -Envelope $batch.Envelopes -JournalPath $journal }
        $err.FullyQualifiedErrorId | Should -Be 'JournalCorrupt,Mesa.PowerShell.Commands.SubmitMesaCommitmentCommand'
        $err.Exception.Message | Should -Match 'line 2'
        @((Get-MesaDeliberation -Id $batch.Deal.Id).Commitments).Count | Should -Be 0
    }

    It 'stops before sending with JournalServerMismatch for a journal of another server' {
        $batch = New-Batch -Count 2
        $journal = Join-Path $TestDrive 'other.jsonl'
        Set-Content -Path $journal -Value '{"envelope_id":"evt_1","outcome":"landed","time":"2026-01-01T00:00:00.000Z","server":"http://127.0.0.1:1/"}'
        $err = Get-ErrorRecord { Submit-MesaCommitment -Envelope $batch.Envelopes -JournalPath $journal }
        $err.FullyQualifiedErrorId | Should -Be 'JournalServerMismatch,Mesa.PowerShell.Commands.SubmitMesaCommitmentCommand'
        @((Get-MesaDeliberation -Id $batch.Deal.Id).Commitments).Count | Should -Be 0
    }

    It 'refuses a journal another submission holds with JournalInUse' {
        $batch = New-Batch -Count 2
        $journal = Join-Path $TestDrive 'held.jsonl'
        # What a running submission holds: the journal's lock file, opened exclusively.
        $held = [System.IO.FileStream]::new("$journal.lock", 'OpenOrCreate', 'ReadWrite', 'None')
        try {
            $err = Get-ErrorRecord { Submit-MesaCommitment -Envelope $batch.Envelopes -JournalPath $journal }
            $err.FullyQualifiedErrorId | Should -Be 'JournalInUse,Mesa.PowerShell.Commands.SubmitMesaCommitmentCommand'
        }
        finally { $held.Dispose() }
        @(Submit-MesaCommitment -Envelope $batch.Envelopes -JournalPath $journal).Count | Should -Be 2
    }
}
