#requires -Version 7.5
# Deliberations (open, list, filter, close, reopen, stage), turns and their indexes, the detail view's data,
# every turn error of protocol section 7, and commitments refused on closed or unknown deliberations.

BeforeAll {
    . (Join-Path $PSScriptRoot 'AcceptanceHelpers.ps1')
    Import-MesaUnderTest
    if (Get-SkipReason -Needs v2) { return }   # every test here needs a v2 server
    $script:token = New-TestAdminToken
    $script:policyFile = New-TestPolicyFile -Path (Join-Path $TestDrive 'policies.json')
    $script:server = Start-TestServer -AdminToken $token -PolicyPath $policyFile
    $script:server | Connect-Mesa
    $script:lab = New-TestPrincipal -Org 'lab' -Capability offer
    # Turns need no capability: this principal has none.
    $script:publisher = New-TestPrincipal -Org 'publisher' -Capability @()
}

AfterAll {
    Stop-TestServer $script:server
}

Describe 'deliberation lifecycle' {
    BeforeEach { Skip-Test -Needs v2 }

    BeforeAll {
        if (Get-SkipReason -Needs v2) { return }
        $script:first = New-MesaDeliberation -Title 'Licence: news corpus' -CounterpartySlug 'globex' -Stage scope
        $script:second = New-MesaDeliberation -Title '  Second deal  '
    }

    It 'opens a deliberation with title, counterparty and stage' {
        $first.Id | Should -Not -BeNullOrEmpty
        $first.Title | Should -Be 'Licence: news corpus'
        $first.CounterpartySlug | Should -Be 'globex'
        $first.Stage | Should -Be 'scope'
        $first.Status | Should -Be 'open'
        $first.CreatedAt | Should -BeOfType ([DateTimeOffset])
        $first.PSObject.TypeNames | Should -Contain 'Mesa.Deliberation'
    }

    It 'defaults the stage to offer and trims the title' {
        $second.Stage | Should -Be 'offer'
        $second.Title | Should -Be 'Second deal'
        $second.CounterpartySlug | Should -BeNullOrEmpty
    }

    It 'lists deliberations oldest first' {
        $ids = @((Get-MesaDeliberation).Id)
        $ids | Should -Contain $first.Id
        $ids | Should -Contain $second.Id
        [array]::IndexOf($ids, $first.Id) | Should -BeLessThan ([array]::IndexOf($ids, $second.Id))
    }

    It 'closes a deliberation and filters by status' {
        Close-MesaDeliberation -Id $first.Id -Confirm:$false
        (Get-MesaDeliberation -Id $first.Id).Status | Should -Be 'closed'
        (Get-MesaDeliberation -Status closed).Id | Should -Contain $first.Id
        (Get-MesaDeliberation -Status open).Id | Should -Not -Contain $first.Id
        (Get-MesaDeliberation -Status open).Id | Should -Contain $second.Id
        Get-MesaDeliberation -Status open | ForEach-Object { $_.Status | Should -Be 'open' }
    }

    It 'reopens a closed deliberation' {
        $reopened = Set-MesaDeliberation -Id $first.Id -Status open
        $reopened.Status | Should -Be 'open'
        (Get-MesaDeliberation -Id $first.Id).Status | Should -Be 'open'
    }

    It 'changes the stage' {
        $changed = Set-MesaDeliberation -Id $first.Id -Stage amendment
        $changed.Stage | Should -Be 'amendment'
        $changed.Status | Should -Be 'open'
        (Get-MesaDeliberation -Id $first.Id).Stage | Should -Be 'amendment'
    }

    It 'changes nothing under -WhatIf' {
        Set-MesaDeliberation -Id $first.Id -Stage signoff -Status closed -WhatIf
        Close-MesaDeliberation -Id $first.Id -WhatIf
        $after = Get-MesaDeliberation -Id $first.Id
        $after.Stage | Should -Be 'amendment'
        $after.Status | Should -Be 'open'
    }

    It 'refuses a stage outside offer, scope, amendment, signoff' {
        { New-MesaDeliberation -Title 'bad stage' -Stage negotiation -ErrorAction Stop } | Should -Throw
        { Set-MesaDeliberation -Id $first.Id -Stage negotiation -ErrorAction Stop } | Should -Throw
        (Get-MesaDeliberation -Id $first.Id).Stage | Should -Be 'amendment'
    }

    It 'answers NotFound for an unknown deliberation' {
        $err = Get-ErrorRecord { Get-MesaDeliberation -Id 'no-such-deliberation' }
        $err.Exception | Should -BeOfType ([Mesa.Client.MesaNotFoundException])
        $err.Exception.StatusCode | Should -Be 404
        $err.FullyQualifiedErrorId | Should -Match '^(NotFound|not_found),Mesa\.PowerShell\.Commands\.GetMesaDeliberationCommand$'
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err.TargetObject | Should -Be 'no-such-deliberation'
    }

    It 'returns the detail of several ids' {
        $details = Get-MesaDeliberation -Id $first.Id, $second.Id
        @($details).Count | Should -Be 2
        $details.Id | Should -Be @($first.Id, $second.Id)
        $details | ForEach-Object { $_.PSObject.TypeNames | Should -Contain 'Mesa.DeliberationDetail' }
    }
}

Describe 'turns and the detail view' {
    BeforeEach { Skip-Test -Needs v2 }

    BeforeAll {
        if (Get-SkipReason -Needs v2) { return }
        $script:d = New-MesaDeliberation -Title 'Transcript' -CounterpartySlug 'initech'
        $script:t0 = Add-MesaTurn -DeliberationId $d.Id -Content 'We propose a 12 month licence.' -EmittedBy $lab.Id -Keypair $lab.Keypair
        $script:t1 = Add-MesaTurn -DeliberationId $d.Id -Content 'Können wir über den Preis reden? 💬' -EmittedBy $publisher.Id -Keypair $publisher.Keypair
        $turnEnvelope = New-MesaEnvelope -Type turn -EmittedBy $lab.Id -DeliberationId $d.Id -Payload @{ content = 'Offer attached.' } -Keypair $lab.Keypair
        $script:t2 = Add-MesaTurn -Envelope $turnEnvelope
        $script:offer = New-MesaEnvelope -Type offer -EmittedBy $lab.Id -DeliberationId $d.Id -Keypair $lab.Keypair `
            -Payload (New-OfferPayload -Summary '12 months, $50k' -Terms @{ fee_total_usd = 50000; term_months = 12 }) | Submit-MesaCommitment
        $script:detail = Get-MesaDeliberation -Id $d.Id
    }

    It 'numbers turns from 0 in order' {
        $t0.Index | Should -Be 0
        $t1.Index | Should -Be 1
        $t2.Index | Should -Be 2
    }

    It 'returns the turn with speaker and content' {
        $t0.PSObject.TypeNames | Should -Contain 'Mesa.Turn'
        $t0.SpeakerId | Should -Be $lab.Id
        $t0.DeliberationId | Should -Be $d.Id
        $t1.SpeakerId | Should -Be $publisher.Id
        $t1.Content | Should -Be 'Können wir über den Preis reden? 💬'
        $t2.Content | Should -Be 'Offer attached.'
    }

    It 'shows the turns by index in the detail' {
        $detail.Turns.Index | Should -Be @(0, 1, 2)
        $detail.Turns.Content | Should -Be @('We propose a 12 month licence.', 'Können wir über den Preis reden? 💬', 'Offer attached.')
        $detail.Turns.SpeakerId | Should -Be @($lab.Id, $publisher.Id, $lab.Id)
    }

    It 'shows the commitments with type, status and payload in the detail' {
        Skip-Test -Needs Policies
        @($detail.Commitments).Count | Should -Be 1
        $detail.Commitments[0].Id | Should -Be $offer.Id
        $detail.Commitments[0].Type | Should -Be 'offer'
        $detail.Commitments[0].Status | Should -Be 'flagged'
        $detail.Commitments[0].PrincipalId | Should -Be $lab.Id
        $detail.Commitments[0].Payload['summary'] | Should -Be '12 months, $50k'
        $detail.Commitments[0].PSObject.TypeNames | Should -Contain 'Mesa.CommitmentSummary'
        $detail.Turns[0].PSObject.TypeNames | Should -Contain 'Mesa.Turn'
    }

    It 'keeps the deliberation fields in the detail' {
        $detail.Title | Should -Be 'Transcript'
        $detail.CounterpartySlug | Should -Be 'initech'
        $detail.Status | Should -Be 'open'
    }
}

Describe 'turn errors (protocol section 7)' {
    BeforeEach { Skip-Test -Needs v2 }

    BeforeAll {
        if (Get-SkipReason -Needs v2) { return }
        $script:open = New-MesaDeliberation -Title 'Turn errors'
        $script:other = New-MesaDeliberation -Title 'Another deliberation'
        $script:closed = New-MesaDeliberation -Title 'Closed one'
        Close-MesaDeliberation -Id $closed.Id -Confirm:$false
    }

    It 'wrong_envelope_type: only turn envelopes make turns' {
        $envelope = New-MesaEnvelope -Type offer -EmittedBy $lab.Id -DeliberationId $open.Id -Payload (New-OfferPayload) -Keypair $lab.Keypair
        $err = Get-ErrorRecord { Add-MesaTurn -Envelope $envelope }
        $err.Exception | Should -BeOfType ([Mesa.Client.MesaBadRequestException])
        $err.Exception.StatusCode | Should -Be 422
        $err.Exception.Code | Should -Be 'wrong_envelope_type'
        $err.FullyQualifiedErrorId | Should -Be 'wrong_envelope_type,Mesa.PowerShell.Commands.AddMesaTurnCommand'
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
    }

    It 'deliberation_mismatch: the envelope names another deliberation than the one posted to' {
        $envelope = New-MesaEnvelope -Type turn -EmittedBy $lab.Id -DeliberationId $other.Id -Payload @{ content = 'hello' } -Keypair $lab.Keypair
        $err = Get-ErrorRecord { Add-MesaTurn -DeliberationId $open.Id -Envelope $envelope }
        $err.Exception | Should -BeOfType ([Mesa.Client.MesaBadRequestException])
        $err.Exception.StatusCode | Should -Be 422
        $err.Exception.Code | Should -Be 'deliberation_mismatch'
        $err.FullyQualifiedErrorId | Should -Be 'deliberation_mismatch,Mesa.PowerShell.Commands.AddMesaTurnCommand'
    }

    It 'deliberation_closed: no turns on a closed deliberation' {
        $err = Get-ErrorRecord { Add-MesaTurn -DeliberationId $closed.Id -Content 'too late' -EmittedBy $lab.Id -Keypair $lab.Keypair }
        $err.Exception | Should -BeOfType ([Mesa.Client.MesaForbiddenException])
        $err.Exception.StatusCode | Should -Be 403
        $err.Exception.Code | Should -Be 'deliberation_closed'
        $err.FullyQualifiedErrorId | Should -Be 'deliberation_closed,Mesa.PowerShell.Commands.AddMesaTurnCommand'
        $err.CategoryInfo.Category | Should -Be 'PermissionDenied'
        @((Get-MesaDeliberation -Id $closed.Id).Turns).Count | Should -Be 0
    }

    It 'not_found: no turns on an unknown deliberation' {
        $err = Get-ErrorRecord { Add-MesaTurn -DeliberationId 'no-such-deliberation' -Content 'anyone?' -EmittedBy $lab.Id -Keypair $lab.Keypair }
        $err.Exception | Should -BeOfType ([Mesa.Client.MesaNotFoundException])
        $err.Exception.StatusCode | Should -Be 404
        $err.Exception.Code | Should -Be 'not_found'
        $err.FullyQualifiedErrorId | Should -Be 'not_found,Mesa.PowerShell.Commands.AddMesaTurnCommand'
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'schema_invalid: turn content over 8192 characters' {
        $err = Get-ErrorRecord { Add-MesaTurn -DeliberationId $open.Id -Content ('x' * 8193) -EmittedBy $lab.Id -Keypair $lab.Keypair }
        $err.Exception.StatusCode | Should -Be 422
        $err.Exception.Code | Should -Be 'schema_invalid'
    }

    It 'invalid_signature: a turn signed with another key' {
        $err = Get-ErrorRecord { Add-MesaTurn -DeliberationId $open.Id -Content 'forged' -EmittedBy $lab.Id -Keypair (New-MesaKeypair) }
        $err.Exception | Should -BeOfType ([Mesa.Client.MesaUnauthorizedException])
        $err.Exception.Code | Should -Be 'invalid_signature'
    }

    It 'left no turn behind on the open deliberation' {
        @((Get-MesaDeliberation -Id $open.Id).Turns).Count | Should -Be 0
    }
}

Describe 'commitments and deliberation state' {
    BeforeEach { Skip-Test -Needs v2 }

    It 'refuses a commitment on a closed deliberation (403 deliberation_closed)' {
        $d = New-MesaDeliberation -Title 'closing soon'
        Close-MesaDeliberation -Id $d.Id -Confirm:$false
        $envelope = New-MesaEnvelope -Type offer -EmittedBy $lab.Id -DeliberationId $d.Id -Payload (New-OfferPayload) -Keypair $lab.Keypair
        $err = Get-ErrorRecord { $envelope | Submit-MesaCommitment }
        $err.Exception | Should -BeOfType ([Mesa.Client.MesaForbiddenException])
        $err.Exception.Code | Should -Be 'deliberation_closed'
        $err.FullyQualifiedErrorId | Should -Be 'deliberation_closed,Mesa.PowerShell.Commands.SubmitMesaCommitmentCommand'
        @((Get-MesaDeliberation -Id $d.Id).Commitments).Count | Should -Be 0
    }

    It 'refuses a commitment on an unknown deliberation (422 unknown_deliberation)' {
        $envelope = New-MesaEnvelope -Type offer -EmittedBy $lab.Id -DeliberationId 'no-such-deliberation' -Payload (New-OfferPayload) -Keypair $lab.Keypair
        $err = Get-ErrorRecord { $envelope | Submit-MesaCommitment }
        $err.Exception | Should -BeOfType ([Mesa.Client.MesaBadRequestException])
        $err.Exception.StatusCode | Should -Be 422
        $err.Exception.Code | Should -Be 'unknown_deliberation'
        $err.FullyQualifiedErrorId | Should -Be 'unknown_deliberation,Mesa.PowerShell.Commands.SubmitMesaCommitmentCommand'
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
    }

    It 'accepts commitments again once the deliberation is reopened' {
        $d = New-MesaDeliberation -Title 'reopen me'
        Close-MesaDeliberation -Id $d.Id -Confirm:$false
        $null = Set-MesaDeliberation -Id $d.Id -Status open
        $c = New-MesaEnvelope -Type offer -EmittedBy $lab.Id -DeliberationId $d.Id -Payload (New-OfferPayload) -Keypair $lab.Keypair | Submit-MesaCommitment
        $c.Status | Should -Be 'active'
    }
}
