#requires -Version 7.5
# The v1 signing profile (no deliberation_id, no deliberations) against a server started with --protocol v1.

BeforeAll {
    . (Join-Path $PSScriptRoot 'AcceptanceHelpers.ps1')
    Import-MesaUnderTest
    if (Get-SkipReason -Needs v1) { return }   # every test here needs a v1 server
    $script:token = New-TestAdminToken
    $script:policyFile = New-TestPolicyFile -Path (Join-Path $TestDrive 'policies.json')
    $script:server = Start-TestServer -AdminToken $token -PolicyPath $policyFile -Profile v1
    $script:conn = $server | Connect-Mesa -PassThru
    $script:agent = New-TestPrincipal -Org 'v1-agent' -Capability offer, license_terms
}

AfterAll {
    Stop-TestServer $script:server
}

Describe 'v1 server' {
    BeforeEach { Skip-Test -Needs v1 }

    It 'offers no turn type in tab completion on a v1 connection (v1 has 11 types), and the server refuses it' {
        $line = 'Set-MesaCapability -PrincipalId x -Capability t'
        $completions = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText)
        $completions | Should -Not -Contain 'turn'
        $all = 'Set-MesaCapability -PrincipalId x -Capability '
        @((TabExpansion2 -inputScript $all -cursorColumn $all.Length).CompletionMatches).Count | Should -Be 11
        { Set-MesaCapability -PrincipalId $agent.Id -Capability turn -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'BadRequest,*'
    }

    It 'reports the v1 profile on the server and the connection' {
        "$($server.Profile)" | Should -Be 'v1'
        "$($conn.Profile)" | Should -Be 'V1'
    }

    It 'makes v1 envelopes by default on a v1 connection (no deliberation id)' {
        $envelope = New-MesaEnvelope -Type offer -EmittedBy $agent.Id -Payload (New-OfferPayload) -Keypair $agent.Keypair
        "$($envelope.Profile)" | Should -Be 'V1'
        $envelope.DeliberationId | Should -BeNullOrEmpty
    }

    It 'runs the quickstart: a v1-signed offer is stored active with an allow decision' {
        $c = New-MesaEnvelope -Type offer -EmittedBy $agent.Id -Payload (New-OfferPayload -Terms @{ fee_total_usd = 900 }) -Keypair $agent.Keypair |
            Submit-MesaCommitment
        $c.Status | Should -Be 'active'
        $c.Decision.Action | Should -Be 'allow'
        $c.PrincipalId | Should -Be $agent.Id
    }

    It 'applies the policies file on a v1 server too' {
        Skip-Test -Needs Policies
        $c = New-MesaEnvelope -Type offer -EmittedBy $agent.Id -Payload (New-OfferPayload -Terms @{ term_months = 48 }) -Keypair $agent.Keypair |
            Submit-MesaCommitment
        $c.Status | Should -Be 'flagged'
        $c.Decision.Action | Should -Be 'route'
        $c.Decision.Applied[0].RouteTo | Should -Be 'legal-review'
    }

    It 'accepts a datasharing commitment signed with v1' {
        $payload = @{ dataset_id = 'ds-1'; fee_model = @{ kind = 'flat'; amount_usd = 1200.5 }; term_months = 12; renewal = 'manual' }
        $c = New-MesaEnvelope -Type license_terms -EmittedBy $agent.Id -Payload $payload -Profile v1 -Keypair $agent.Keypair | Submit-MesaCommitment
        $c.Type | Should -Be 'license_terms'
        $c.Status | Should -Be 'active'
    }

    It 'refuses a v2-signed envelope with Unauthorized (the signed bytes differ)' {
        $envelope = New-MesaEnvelope -Type offer -EmittedBy $agent.Id -Payload (New-OfferPayload) -Profile v2 -Keypair $agent.Keypair
        "$($envelope.Profile)" | Should -Be 'V2'
        $err = Get-ErrorRecord { $envelope | Submit-MesaCommitment }
        $err.Exception | Should -BeOfType ([Mesa.Client.MesaUnauthorizedException])
        $err.Exception.Code | Should -Be 'invalid_signature'
        $err.FullyQualifiedErrorId | Should -Be 'invalid_signature,Mesa.PowerShell.Commands.SubmitMesaCommitmentCommand'
    }

    It 'refuses a deliberation id on a v1 envelope before signing' {
        $err = Get-ErrorRecord { New-MesaEnvelope -Type offer -EmittedBy $agent.Id -Payload (New-OfferPayload) -Profile v1 -DeliberationId 'd-1' -Keypair $agent.Keypair }
        $err.Exception.Message | Should -Match 'v1'
        $err.Exception.Message | Should -Match 'deliberation'
    }

    It 'has no deliberations on a v1 server' {
        $err = Get-ErrorRecord { New-MesaDeliberation -Title 'not in v1' }
        $err.Exception | Should -BeOfType ([Mesa.Client.MesaException])
        $err.Exception.StatusCode | Should -BeGreaterOrEqual 400
    }

    It 'speaks v1 when connected with -Profile v1 explicitly' {
        $explicit = Connect-Mesa -Uri $server.Uri -Profile v1 -AdminToken $token.Secure -PassThru
        try {
            "$($explicit.Profile)" | Should -Be 'V1'
            $c = New-MesaEnvelope -Type offer -EmittedBy $agent.Id -Payload (New-OfferPayload) -Keypair $agent.Keypair |
                Submit-MesaCommitment -Connection $explicit
            $c.Status | Should -Be 'active'
        }
        finally {
            $server | Connect-Mesa
        }
    }
}
