#requires -Version 7.5
# The error model: typed exceptions catchable by type literal, .Code/.StatusCode/.Detail/.Body, the
# FullyQualifiedErrorId ("<server code or class>,<cmdlet class>"), categories and target objects, and
# non-terminating errors per pipeline item.

BeforeAll {
    . (Join-Path $PSScriptRoot 'AcceptanceHelpers.ps1')
    Import-MesaUnderTest
    if (Get-SkipReason -Needs v2) { return }   # every test here needs a v2 server
    $script:token = New-TestAdminToken
    $script:policyFile = New-TestPolicyFile -Path (Join-Path $TestDrive 'policies.json')
    $script:server = Start-TestServer -AdminToken $token -PolicyPath $policyFile
    # A second connection to the same server that holds no admin token; the default one holds it.
    $script:noAdmin = Connect-Mesa -Uri $server.Uri -PassThru
    $script:conn = $server | Connect-Mesa -PassThru
    $script:alice = New-TestPrincipal -Org 'alice-corp' -Capability offer
    $script:delib = New-MesaDeliberation -Title 'Errors'
    function New-Offer([hashtable] $Terms = @{ price = 1 }, $Signer = $alice.Keypair, [string] $EmittedBy = $alice.Id) {
        New-MesaEnvelope -Type offer -EmittedBy $EmittedBy -DeliberationId $delib.Id -Payload (New-OfferPayload -Terms $Terms) -Keypair $Signer
    }
}

AfterAll {
    Stop-TestServer $script:server
}

Describe 'policy_blocked' {
    BeforeEach { Skip-Test -Needs v2 }

    It 'is caught by type literal [Mesa.Client.MesaForbiddenException]' {
        Skip-Test -Needs Policies
        $envelope = New-Offer -Terms @{ discount_pct = 45 }
        $caught = $null
        try {
            $envelope | Submit-MesaCommitment -ErrorAction Stop
        }
        catch [Mesa.Client.MesaForbiddenException] {
            $caught = $_
        }
        $caught | Should -Not -BeNullOrEmpty
        $caught.Exception | Should -BeOfType ([Mesa.Client.MesaForbiddenException])
        $caught.Exception | Should -BeOfType ([Mesa.Client.MesaException])
        $caught.Exception.StatusCode | Should -Be 403
        $caught.Exception.Code | Should -Be 'policy_blocked'
        $caught.Exception.GetDetailValue('policy_id') | Should -Be 'pol-block-discount'
        $caught.Exception.GetDetailValue('policy_name') | Should -Be 'block-deep-discount'
        $caught.Exception.Detail['code'] | Should -Be 'policy_blocked'
        $caught.Exception.Body | Should -Match 'policy_blocked'
        $caught.FullyQualifiedErrorId | Should -Be 'policy_blocked,Mesa.PowerShell.Commands.SubmitMesaCommitmentCommand'
        $caught.CategoryInfo.Category | Should -Be 'PermissionDenied'
        $caught.TargetObject.Id | Should -Be $envelope.Id
    }

    It 'is caught by .Code in a generic catch' {
        Skip-Test -Needs Policies
        $code = $null
        try {
            New-Offer -Terms @{ discount_pct = 31 } | Submit-MesaCommitment -ErrorAction Stop
        }
        catch {
            if ($_.Exception.Code -eq 'policy_blocked') { $code = $_.Exception.Code }
        }
        $code | Should -Be 'policy_blocked'
    }

    It 'stores nothing' {
        Skip-Test -Needs Policies
        $before = @((Get-MesaDeliberation -Id $delib.Id).Commitments).Count
        $null = New-Offer -Terms @{ discount_pct = 90 } | Submit-MesaCommitment -ErrorAction SilentlyContinue
        @((Get-MesaDeliberation -Id $delib.Id).Commitments).Count | Should -Be $before
    }
}

Describe 'authority_denied' {
    BeforeEach { Skip-Test -Needs v2 }

    It 'refuses a type the principal was not granted' {
        $envelope = New-MesaEnvelope -Type counter -EmittedBy $alice.Id -DeliberationId $delib.Id -Keypair $alice.Keypair `
            -Payload @{ supersedes = 'c-1'; summary = 'counter offer'; terms = @{ price = 2 } }
        $err = Get-ErrorRecord { Submit-MesaCommitment -Envelope $envelope }
        $err.Exception | Should -BeOfType ([Mesa.Client.MesaForbiddenException])
        $err.Exception.Code | Should -Be 'authority_denied'
        $err.Exception.GetDetailValue('type') | Should -Be 'counter'
        $err.FullyQualifiedErrorId | Should -Be 'authority_denied,Mesa.PowerShell.Commands.SubmitMesaCommitmentCommand'
        $err.CategoryInfo.Category | Should -Be 'PermissionDenied'
    }

    It 'answers authority_denied for an unknown type too (authority runs before the schema)' {
        $envelope = New-MesaEnvelope -Type 'no_such_type' -EmittedBy $alice.Id -DeliberationId $delib.Id -Payload @{ x = 1 } -Keypair $alice.Keypair
        $err = Get-ErrorRecord { Submit-MesaCommitment -Envelope $envelope }
        $err.Exception.Code | Should -Be 'authority_denied'
    }
}

Describe 'signature and emitter failures' {
    BeforeEach { Skip-Test -Needs v2 }

    It 'answers Unauthorized (invalid_signature) for an envelope signed with another key' {
        $envelope = New-Offer -Signer (New-MesaKeypair)
        $err = Get-ErrorRecord { $envelope | Submit-MesaCommitment }
        $err.Exception | Should -BeOfType ([Mesa.Client.MesaUnauthorizedException])
        $err.Exception.StatusCode | Should -Be 401
        $err.Exception.Code | Should -Be 'invalid_signature'
        $err.FullyQualifiedErrorId | Should -Be 'invalid_signature,Mesa.PowerShell.Commands.SubmitMesaCommitmentCommand'
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.TargetObject.Id | Should -Be $envelope.Id
    }

    It 'answers Unauthorized (unknown_principal) for an emitter nobody registered' {
        $stranger = New-MesaKeypair
        $envelope = New-Offer -Signer $stranger -EmittedBy ('f' * 32)
        $err = Get-ErrorRecord { $envelope | Submit-MesaCommitment }
        $err.Exception | Should -BeOfType ([Mesa.Client.MesaUnauthorizedException])
        $err.Exception.Code | Should -Be 'unknown_principal'
        $err.FullyQualifiedErrorId | Should -Be 'unknown_principal,Mesa.PowerShell.Commands.SubmitMesaCommitmentCommand'
    }

    It 'refuses an unsigned envelope without -Keypair before any request is made' {
        $before = @((Get-MesaDeliberation -Id $delib.Id).Commitments).Count
        $envelope = New-MesaEnvelope -Type offer -EmittedBy $alice.Id -DeliberationId $delib.Id -Payload (New-OfferPayload)
        $records = [System.Collections.Generic.List[object]]::new()
        $err = $null
        try {
            Submit-MesaCommitment -Envelope $envelope -Verbose -ErrorAction Stop 4>&1 | ForEach-Object { $records.Add($_) }
        }
        catch {
            $err = $_
        }
        $err | Should -Not -BeNullOrEmpty
        $err.Exception.Message | Should -Match 'sign|Keypair'
        # -Verbose logs every request; none may have been made.
        @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match '^(POST|GET|PUT|PATCH) ' }).Count | Should -Be 0
        @((Get-MesaDeliberation -Id $delib.Id).Commitments).Count | Should -Be $before
    }
}

Describe 'request validation' {
    BeforeEach { Skip-Test -Needs v2 }

    It 'answers BadRequest 422 for a v2 commitment without a deliberation id' {
        $envelope = New-MesaEnvelope -Type offer -EmittedBy $alice.Id -Payload (New-OfferPayload) -Keypair $alice.Keypair
        $err = Get-ErrorRecord { $envelope | Submit-MesaCommitment }
        $err.Exception | Should -BeOfType ([Mesa.Client.MesaBadRequestException])
        $err.Exception.StatusCode | Should -Be 422
        $err.FullyQualifiedErrorId | Should -Be 'BadRequest,Mesa.PowerShell.Commands.SubmitMesaCommitmentCommand'
        $err.Exception.Message | Should -Match 'deliberation_id'
    }

    It 'answers BadRequest 422 for a blank deliberation title' {
        $err = Get-ErrorRecord { New-MesaDeliberation -Title '   ' }
        $err.FullyQualifiedErrorId | Should -Be 'BadRequest,Mesa.PowerShell.Commands.NewMesaDeliberationCommand'
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
    }
}

Describe 'schema failure' {
    BeforeEach { Skip-Test -Needs v2 }

    It 'answers BadRequest 422 schema_invalid for a payload that breaks the type''s schema' {
        $envelope = New-MesaEnvelope -Type offer -EmittedBy $alice.Id -DeliberationId $delib.Id -Payload @{ terms = @{ price = 1 } } -Keypair $alice.Keypair
        $err = Get-ErrorRecord { $envelope | Submit-MesaCommitment }
        $err.Exception | Should -BeOfType ([Mesa.Client.MesaBadRequestException])
        $err.Exception.StatusCode | Should -Be 422
        $err.Exception.Code | Should -Be 'schema_invalid'
        $err.Exception.Message | Should -Match 'summary'
        $err.FullyQualifiedErrorId | Should -Be 'schema_invalid,Mesa.PowerShell.Commands.SubmitMesaCommitmentCommand'
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
    }

    It 'refuses properties the schema does not list' {
        $envelope = New-MesaEnvelope -Type offer -EmittedBy $alice.Id -DeliberationId $delib.Id -Keypair $alice.Keypair `
            -Payload @{ summary = 's'; terms = @{}; surprise = 1 }
        $err = Get-ErrorRecord { $envelope | Submit-MesaCommitment }
        $err.Exception.StatusCode | Should -Be 422
        $err.Exception.Code | Should -Be 'schema_invalid'
    }
}

Describe 'principals' {
    BeforeEach { Skip-Test -Needs v2 }

    It 'answers Conflict for a public key registered twice (in any case)' {
        $err = Get-ErrorRecord { New-MesaPrincipal -Org 'copycat' -PublicKey $alice.Keypair.PublicKeyHex.ToUpperInvariant() }
        $err.Exception | Should -BeOfType ([Mesa.Client.MesaConflictException])
        $err.Exception.StatusCode | Should -Be 409
        $err.Exception.Detail | Should -Be 'public_key already registered'
        $err.FullyQualifiedErrorId | Should -Be 'Conflict,Mesa.PowerShell.Commands.NewMesaPrincipalCommand'
        $err.CategoryInfo.Category | Should -Be 'ResourceExists'
    }

    It 'answers NotFound for an unknown principal id' {
        $missing = '0' * 32
        $err = Get-ErrorRecord { Get-MesaPrincipal -Id $missing }
        $err.Exception | Should -BeOfType ([Mesa.Client.MesaNotFoundException])
        $err.Exception.StatusCode | Should -Be 404
        $err.FullyQualifiedErrorId | Should -Be 'NotFound,Mesa.PowerShell.Commands.GetMesaPrincipalCommand'
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err.TargetObject | Should -Be $missing
    }

    It 'carries on past an unknown id when several are asked for (non-terminating)' {
        $found = Get-MesaPrincipal -Id ('0' * 32), $alice.Id -ErrorAction SilentlyContinue -ErrorVariable lookupErrors
        @($found).Count | Should -Be 1
        $found.Id | Should -Be $alice.Id
        @($lookupErrors).Count | Should -Be 1
        $lookupErrors[0].FullyQualifiedErrorId | Should -Be 'NotFound,Mesa.PowerShell.Commands.GetMesaPrincipalCommand'
    }

    It 'answers NotFound when granting capabilities to an unknown principal' {
        $err = Get-ErrorRecord { Set-MesaCapability -PrincipalId ('1' * 32) -Capability offer }
        $err.Exception | Should -BeOfType ([Mesa.Client.MesaNotFoundException])
        $err.FullyQualifiedErrorId | Should -Be 'NotFound,Mesa.PowerShell.Commands.SetMesaCapabilityCommand'
    }

    It 'answers BadRequest 422 for a capability that is not a known commitment type' {
        $err = Get-ErrorRecord { Set-MesaCapability -PrincipalId $alice.Id -Capability 'no_such_type' }
        $err.Exception | Should -BeOfType ([Mesa.Client.MesaBadRequestException])
        $err.Exception.StatusCode | Should -Be 422
        # A validation list has no code: the id is the class.
        $err.FullyQualifiedErrorId | Should -Be 'BadRequest,Mesa.PowerShell.Commands.SetMesaCapabilityCommand'
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
        $problem = @($err.Exception.Detail)[0]
        $problem['loc'] | Should -Be @('body', 'capabilities')
        $problem['msg'] | Should -Match 'no_such_type'
        @((Get-MesaPrincipal -Id $alice.Id).Capabilities) | Should -Be @('offer')
    }

    It 'answers BadRequest 422 for a malformed public key and a blank org' {
        $err = Get-ErrorRecord { New-MesaPrincipal -Org 'short-key' -PublicKey ('a' * 63) }
        $err.Exception | Should -BeOfType ([Mesa.Client.MesaBadRequestException])
        $err.Exception.StatusCode | Should -Be 422
        $err.FullyQualifiedErrorId | Should -Be 'BadRequest,Mesa.PowerShell.Commands.NewMesaPrincipalCommand'
        $err.Exception.Message | Should -Match 'public_key'
        $err = Get-ErrorRecord { New-MesaPrincipal -Org '   ' -Keypair (New-MesaKeypair) }
        $err.FullyQualifiedErrorId | Should -Be 'BadRequest,Mesa.PowerShell.Commands.NewMesaPrincipalCommand'
        $err.Exception.Message | Should -Match 'org'
    }
}

Describe 'admin gate' {
    BeforeEach { Skip-Test -Needs v2 }

    It 'answers admin_forbidden when the connection holds no admin token' {
        $err = Get-ErrorRecord { Set-MesaCapability -PrincipalId $alice.Id -Capability counter -Connection $noAdmin }
        $err.Exception | Should -BeOfType ([Mesa.Client.MesaForbiddenException])
        $err.Exception.Code | Should -Be 'admin_forbidden'
        $err.FullyQualifiedErrorId | Should -Be 'admin_forbidden,Mesa.PowerShell.Commands.SetMesaCapabilityCommand'
        $err.CategoryInfo.Category | Should -Be 'PermissionDenied'
        @((Get-MesaPrincipal -Id $alice.Id).Capabilities) | Should -Be @('offer')
    }

    It 'answers admin_forbidden for a wrong -AdminToken, and never repeats either token' {
        $wrong = 'wrong-' + [guid]::NewGuid().ToString('N')
        $err = Get-ErrorRecord {
            Set-MesaCapability -PrincipalId $alice.Id -Capability counter -AdminToken (ConvertTo-SecureString $wrong -AsPlainText -Force)
        }
        $err.Exception.Code | Should -Be 'admin_forbidden'
        $err.FullyQualifiedErrorId | Should -Be 'admin_forbidden,Mesa.PowerShell.Commands.SetMesaCapabilityCommand'
        $text = ($err | Format-List * -Force | Out-String) + $err.Exception.Message + $err.Exception.Body
        $text | Should -Not -Match $wrong
        $text | Should -Not -Match $token.Plain
    }

    It 'lets -AdminToken stand in for a connection that holds none' {
        $p = Set-MesaCapability -PrincipalId $alice.Id -Capability offer -AdminToken $token.Secure -Connection $noAdmin
        @($p.Capabilities) | Should -Be @('offer')
    }
}

Describe 'bulk pipeline submission' {
    BeforeEach { Skip-Test -Needs v2 }

    BeforeAll {
        if (Get-SkipReason -Needs v2) { return }
        $script:bulkDelib = New-MesaDeliberation -Title 'Bulk'
        function New-BulkOffer([hashtable] $Terms) {
            New-MesaEnvelope -Type offer -EmittedBy $alice.Id -DeliberationId $bulkDelib.Id -Payload (New-OfferPayload -Terms $Terms) -Keypair $alice.Keypair
        }
    }

    It 'carries on past a failing item (non-terminating) and reports it' {
        Skip-Test -Needs Policies
        $envelopes = @(
            New-BulkOffer @{ price = 1 }
            New-BulkOffer @{ discount_pct = 99 }
            New-BulkOffer @{ price = 3 }
        )
        $results = $envelopes | Submit-MesaCommitment -ErrorAction SilentlyContinue -ErrorVariable bulkErrors
        @($results).Count | Should -Be 2
        $results.EnvelopeId | Should -Be @($envelopes[0].Id, $envelopes[2].Id)
        @($bulkErrors).Count | Should -Be 1
        $bulkErrors[0].FullyQualifiedErrorId | Should -Be 'policy_blocked,Mesa.PowerShell.Commands.SubmitMesaCommitmentCommand'
        $bulkErrors[0].TargetObject.Id | Should -Be $envelopes[1].Id
        @((Get-MesaDeliberation -Id $bulkDelib.Id).Commitments).Count | Should -Be 2
    }

    It 'stops at the failing item with -ErrorAction Stop' {
        Skip-Test -Needs Policies
        $d = New-MesaDeliberation -Title 'Bulk stop'
        $envelopes = @(
            New-MesaEnvelope -Type offer -EmittedBy $alice.Id -DeliberationId $d.Id -Payload (New-OfferPayload -Terms @{ price = 1 }) -Keypair $alice.Keypair
            New-MesaEnvelope -Type offer -EmittedBy $alice.Id -DeliberationId $d.Id -Payload (New-OfferPayload -Terms @{ discount_pct = 99 }) -Keypair $alice.Keypair
            New-MesaEnvelope -Type offer -EmittedBy $alice.Id -DeliberationId $d.Id -Payload (New-OfferPayload -Terms @{ price = 3 }) -Keypair $alice.Keypair
        )
        $collected = [System.Collections.Generic.List[object]]::new()
        { $envelopes | Submit-MesaCommitment -ErrorAction Stop | ForEach-Object { $collected.Add($_) } } |
            Should -Throw -ErrorId 'policy_blocked,Mesa.PowerShell.Commands.SubmitMesaCommitmentCommand'
        $collected.Count | Should -Be 1
        @((Get-MesaDeliberation -Id $d.Id).Commitments).Count | Should -Be 1
    }
}

Describe 'a server without an admin token' {
    # A server process of its own, started without an admin token.
    BeforeAll {
        if (Get-SkipReason -Needs v2, LocalServer) { return }
        $script:raw = Start-RawLocalServer
        $script:rawConn = Connect-Mesa -Uri $raw.Uri -AdminToken $token.Secure -PassThru
        $script:rawPrincipal = New-MesaPrincipal -Org 'no-admin' -Keypair (New-MesaKeypair) -Connection $rawConn
        # Connect-Mesa made the raw server the default; put the suite's server back.
        $server | Connect-Mesa
    }

    AfterAll {
        Stop-RawLocalServer $script:raw
    }

    BeforeEach { Skip-Test -Needs v2, LocalServer }

    It 'answers admin_disabled whatever token is sent' {
        $err = Get-ErrorRecord { Set-MesaCapability -PrincipalId $rawPrincipal.Id -Capability offer -Connection $rawConn }
        $err.Exception | Should -BeOfType ([Mesa.Client.MesaForbiddenException])
        $err.Exception.Code | Should -Be 'admin_disabled'
        $err.FullyQualifiedErrorId | Should -Be 'admin_disabled,Mesa.PowerShell.Commands.SetMesaCapabilityCommand'
        $err.CategoryInfo.Category | Should -Be 'PermissionDenied'
    }

    It 'answers admin_disabled on a server started with Start-MesaLocalServer -NoAdminToken' {
        Skip-Test -Needs LocalServer
        $open = Start-MesaLocalServer -NoAdminToken
        try {
            $open.AdminToken | Should -BeNullOrEmpty
            $c = Connect-Mesa -Uri $open.Uri -AdminToken $token.Secure -PassThru
            $p = New-MesaKeypair | New-MesaPrincipal -Org 'no-admin-2' -Connection $c
            $err = Get-ErrorRecord { Set-MesaCapability -PrincipalId $p.Id -Capability offer -Connection $c }
            $err.Exception.Code | Should -Be 'admin_disabled'
        }
        finally {
            Stop-MesaLocalServer -Server $open
            $server | Connect-Mesa
        }
    }
}
