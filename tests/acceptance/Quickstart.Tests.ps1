#requires -Version 7.5
# The reference SDK's quickstart, the PowerShell way: register, grant, sign, submit; then the policy outcomes.

BeforeAll {
    . (Join-Path $PSScriptRoot 'AcceptanceHelpers.ps1')
    Import-MesaUnderTest
    if (Get-SkipReason -Needs v2) { return }   # every test here needs a v2 server
    $script:token = New-TestAdminToken
    $script:policyFile = New-TestPolicyFile -Path (Join-Path $TestDrive 'policies.json')
    $script:server = Start-TestServer -AdminToken $token -PolicyPath $policyFile
    $script:server | Connect-Mesa
}

AfterAll {
    Stop-TestServer $script:server
}

Describe 'Quickstart: register, grant, sign, submit' {
    BeforeEach { Skip-Test -Needs v2 }

    BeforeAll {
        if (Get-SkipReason -Needs v2) { return }
        $script:keypair = New-MesaKeypair
        $script:principal = New-MesaPrincipal -Org 'acme' -Keypair $keypair
        $script:granted = Set-MesaCapability -PrincipalId $principal.Id -Capability offer
        $script:deliberation = New-MesaDeliberation -Title 'Licence for the news corpus'
    }

    It 'generates a keypair that shows only its public key' {
        $keypair.PublicKeyHex | Should -Match '^[0-9a-f]{64}$'
        $keypair.PSObject.TypeNames | Should -Contain 'Mesa.Keypair'
    }

    It 'registers the principal with the keypair''s public key and no capabilities' {
        $principal.Id | Should -Match '^[0-9a-f]{32}$'
        $principal.Org | Should -Be 'acme'
        $principal.PublicKey | Should -Be $keypair.PublicKeyHex
        @($principal.Capabilities).Count | Should -Be 0
        $principal.PSObject.TypeNames | Should -Contain 'Mesa.Principal'
    }

    It 'grants a capability and returns the updated principal' {
        $granted.Id | Should -Be $principal.Id
        @($granted.Capabilities) | Should -Be @('offer')
        @((Get-MesaPrincipal -Id $principal.Id).Capabilities) | Should -Be @('offer')
    }

    It 'lists the registered principal' {
        (Get-MesaPrincipal).Id | Should -Contain $principal.Id
    }

    It 'signs an offer and the server stores it as active with an allow decision' {
        $envelope = New-MesaEnvelope -Type offer -EmittedBy $principal.Id -DeliberationId $deliberation.Id `
            -Payload @{ summary = 'Licence $4k/yr'; terms = @{ fee_total_usd = 4000 } } -Keypair $keypair
        $envelope.IsSigned | Should -BeTrue
        $envelope.PSObject.TypeNames | Should -Contain 'Mesa.Envelope'

        $commitment = $envelope | Submit-MesaCommitment
        $commitment.PSObject.TypeNames | Should -Contain 'Mesa.Commitment'
        $commitment.Id | Should -Not -BeNullOrEmpty
        $commitment.Type | Should -Be 'offer'
        $commitment.PrincipalId | Should -Be $principal.Id
        $commitment.Status | Should -Be 'active'
        $commitment.Decision.Action | Should -Be 'allow'
        @($commitment.Decision.Applied).Count | Should -Be 0
        $commitment.EnvelopeId | Should -Be $envelope.Id
    }

    It 'signs an unsigned envelope at submission when -Keypair is given' {
        $envelope = New-MesaEnvelope -Type offer -EmittedBy $principal.Id -DeliberationId $deliberation.Id `
            -Payload (New-OfferPayload -Terms @{ fee_total_usd = 10 })
        $envelope.IsSigned | Should -BeFalse
        $commitment = Submit-MesaCommitment -Envelope $envelope -Keypair $keypair
        $commitment.Status | Should -Be 'active'
        $commitment.EnvelopeId | Should -Be $envelope.Id
    }

    It 'verifies its own signature with Test-MesaEnvelope' {
        $envelope = New-MesaEnvelope -Type offer -EmittedBy $principal.Id -DeliberationId $deliberation.Id `
            -Payload (New-OfferPayload) -Keypair $keypair
        Test-MesaEnvelope -Envelope $envelope -Keypair $keypair | Should -BeTrue
        Test-MesaEnvelope -Envelope $envelope -PublicKey $keypair.PublicKeyHex | Should -BeTrue
        Test-MesaEnvelope -Envelope $envelope -Keypair (New-MesaKeypair) | Should -BeFalse
    }

    It 'shows the stored commitments in the deliberation detail' {
        $detail = Get-MesaDeliberation -Id $deliberation.Id
        @($detail.Commitments).Count | Should -Be 2
        $detail.Commitments | ForEach-Object { $_.Type | Should -Be 'offer'; $_.Status | Should -Be 'active'; $_.PrincipalId | Should -Be $principal.Id }
    }
}

Describe 'Policy decisions from the policies file' {
    BeforeEach { Skip-Test -Needs v2 }

    BeforeAll {
        if (Get-SkipReason -Needs v2) { return }
        $script:acme = New-TestPrincipal -Org 'acme-policies' -Capability offer
        $script:delib = New-MesaDeliberation -Title 'Policy outcomes'
        function Submit-Offer([hashtable] $Terms) {
            New-MesaEnvelope -Type offer -EmittedBy $acme.Id -DeliberationId $delib.Id -Payload (New-OfferPayload -Terms $Terms) -Keypair $acme.Keypair |
                Submit-MesaCommitment
        }
    }

    It 'flags a spend over the cap and names the policy that fired' {
        Skip-Test -Needs Policies
        $c = Submit-Offer @{ fee_total_usd = 50000 }
        $c.Status | Should -Be 'flagged'
        $c.Decision.Action | Should -Be 'flag'
        @($c.Decision.Applied).Count | Should -Be 1
        $c.Decision.Applied[0].PolicyId | Should -Be 'pol-flag-spend'
        $c.Decision.Applied[0].PolicyName | Should -Be 'flag-large-spend'
        $c.Decision.Applied[0].Action | Should -Be 'flag'
        $c.Decision.Applied[0].RouteTo | Should -BeNullOrEmpty
        $c.Decision.PSObject.TypeNames | Should -Contain 'Mesa.Decision'
        $c.Decision.Applied[0].PSObject.TypeNames | Should -Contain 'Mesa.AppliedPolicy'
    }

    It 'routes a long term to legal-review: status flagged, action route, route_to set' {
        Skip-Test -Needs Policies
        $c = Submit-Offer @{ term_months = 36 }
        $c.Status | Should -Be 'flagged'
        $c.Decision.Action | Should -Be 'route'
        @($c.Decision.Applied).Count | Should -Be 1
        $c.Decision.Applied[0].PolicyId | Should -Be 'pol-route-term'
        $c.Decision.Applied[0].PolicyName | Should -Be 'route-long-term'
        $c.Decision.Applied[0].Action | Should -Be 'route'
        $c.Decision.Applied[0].RouteTo | Should -Be 'legal-review'
    }

    It 'takes the strongest action when flag and route both fire, listing both' {
        Skip-Test -Needs Policies
        $c = Submit-Offer @{ fee_total_usd = 50000; term_months = 36 }
        $c.Status | Should -Be 'flagged'
        $c.Decision.Action | Should -Be 'route'
        ($c.Decision.Applied.PolicyName | Sort-Object) | Should -Be @('flag-large-spend', 'route-long-term')
    }

    It 'allows values at the cap (comparisons are strictly greater)' {
        $c = Submit-Offer @{ fee_total_usd = 10000; term_months = 24; discount_pct = 30 }
        $c.Status | Should -Be 'active'
        $c.Decision.Action | Should -Be 'allow'
        @($c.Decision.Applied).Count | Should -Be 0
    }

    It 'never treats a boolean as a number' {
        $c = Submit-Offer @{ fee_total_usd = $true }
        $c.Decision.Action | Should -Be 'allow'
    }

    It 'stores flagged commitments with their status in the deliberation' {
        Skip-Test -Needs Policies
        $detail = Get-MesaDeliberation -Id $delib.Id
        ($detail.Commitments.Status | Sort-Object -Unique) | Should -Be @('active', 'flagged')
        @($detail.Commitments | Where-Object Status -EQ 'flagged').Count | Should -Be 3
    }
}
