#requires -Version 7.5
# Every pipeline issue 4 names: keypair -> principal, principals -> capabilities, envelopes -> submission,
# deliberation objects -> turns/envelopes/detail/changes, and connections used from other runspaces.

BeforeAll {
    . (Join-Path $PSScriptRoot 'AcceptanceHelpers.ps1')
    Import-MesaUnderTest
    if (Get-SkipReason -Needs v2) { return }   # every test here needs a v2 server
    $script:token = New-TestAdminToken
    $script:policyFile = New-TestPolicyFile -Path (Join-Path $TestDrive 'policies.json')
    $script:server = Start-TestServer -AdminToken $token -PolicyPath $policyFile
    $script:conn = $server | Connect-Mesa -PassThru
}

AfterAll {
    Stop-TestServer $script:server
}

Describe 'principals and capabilities' {
    BeforeEach { Skip-Test -Needs v2 }

    It 'New-MesaKeypair | New-MesaPrincipal -Org acme' {
        $p = New-MesaKeypair | New-MesaPrincipal -Org acme
        $p.Org | Should -Be 'acme'
        $p.PublicKey | Should -Match '^[0-9a-f]{64}$'
        $p.PSObject.TypeNames | Should -Contain 'Mesa.Principal'
    }

    It 'registers one principal per keypair in the pipeline' {
        $keys = 1..3 | ForEach-Object { New-MesaKeypair }
        $principals = $keys | New-MesaPrincipal -Org 'batch'
        @($principals).Count | Should -Be 3
        $principals.PublicKey | Should -Be $keys.PublicKeyHex
    }

    It 'Get-MesaPrincipal | Set-MesaCapability -Capability offer,counter' {
        # Only this test's principals (an org of its own): the server may hold others' (MESA_TEST_URI).
        $org = New-TestName 'grant'
        $null = 1..2 | ForEach-Object { New-MesaKeypair } | New-MesaPrincipal -Org $org
        $updated = Get-MesaPrincipal -Org $org | Set-MesaCapability -Capability offer, counter
        @($updated).Count | Should -Be 2
        $updated | ForEach-Object { @($_.Capabilities) | Should -Be @('offer', 'counter') }
        Get-MesaPrincipal -Org $org | ForEach-Object { @($_.Capabilities) | Should -Be @('offer', 'counter') }
    }

    It 'adds and removes capabilities through the pipeline' {
        $p = New-MesaKeypair | New-MesaPrincipal -Org 'add-remove'
        $p = $p | Set-MesaCapability -Capability offer
        $p = $p | Set-MesaCapability -Capability approval, counter -Add
        @($p.Capabilities) | Should -Be @('offer', 'approval', 'counter')
        $p = $p | Set-MesaCapability -Capability approval -Remove
        @($p.Capabilities) | Should -Be @('offer', 'counter')
        @((Get-MesaPrincipal -Id $p.Id).Capabilities) | Should -Be @('offer', 'counter')
    }

    It 'changes nothing under -WhatIf' {
        $p = New-MesaKeypair | New-MesaPrincipal -Org 'whatif'
        $p | Set-MesaCapability -Capability offer -WhatIf
        Set-MesaCapability -PrincipalId $p.Id -Capability offer, counter -WhatIf
        @((Get-MesaPrincipal -Id $p.Id).Capabilities).Count | Should -Be 0
    }

    It 'binds -Id by property name: principals | Get-MesaPrincipal' {
        $some = @(Get-MesaPrincipal | Select-Object -First 2)
        $again = $some | Get-MesaPrincipal
        $again.Id | Should -Be $some.Id
        ([pscustomobject]@{ Id = $some[0].Id } | Get-MesaPrincipal).Org | Should -Be $some[0].Org
    }
}

Describe 'envelopes and commitments' {
    BeforeEach { Skip-Test -Needs v2 }

    BeforeAll {
        if (Get-SkipReason -Needs v2) { return }
        $script:seller = New-TestPrincipal -Org 'seller' -Capability offer
        $script:d = New-MesaDeliberation -Title 'Pipelines'
    }

    It 'New-MesaEnvelope | Submit-MesaCommitment' {
        $c = New-MesaEnvelope -Type offer -EmittedBy $seller.Id -DeliberationId $d.Id -Payload (New-OfferPayload) -Keypair $seller.Keypair |
            Submit-MesaCommitment
        $c.Status | Should -Be 'active'
    }

    It 'signs unsigned envelopes in the pipeline with -Keypair, one commitment per envelope, in order' {
        $envelopes = 1..3 | ForEach-Object {
            New-MesaEnvelope -Type offer -EmittedBy $seller.Id -DeliberationId $d.Id -Payload (New-OfferPayload -Summary "offer $_" -Terms @{ n = $_ })
        }
        $commitments = $envelopes | Submit-MesaCommitment -Keypair $seller.Keypair
        @($commitments).Count | Should -Be 3
        $commitments.EnvelopeId | Should -Be $envelopes.Id
        $commitments | ForEach-Object { $_.Status | Should -Be 'active' }
    }

    It 'accepts a JSON string payload' {
        Skip-Test -Needs Policies
        $c = New-MesaEnvelope -Type offer -EmittedBy $seller.Id -DeliberationId $d.Id -Payload '{"summary":"from json","terms":{"fee_total_usd":20000}}' -Keypair $seller.Keypair |
            Submit-MesaCommitment
        $c.Status | Should -Be 'flagged'
    }

    It 'accepts an ordered dictionary and a PSCustomObject payload' {
        $ordered = [ordered]@{ summary = 'ordered'; terms = [ordered]@{ z = 1; a = 2 } }
        $custom = [pscustomobject]@{ summary = 'custom'; terms = [pscustomobject]@{ list = @(1, 'two', @{ three = 3 }) } }
        $results = $ordered, $custom | ForEach-Object {
            New-MesaEnvelope -Type offer -EmittedBy $seller.Id -DeliberationId $d.Id -Payload $_ -Keypair $seller.Keypair
        } | Submit-MesaCommitment
        @($results).Count | Should -Be 2
        $results | ForEach-Object { $_.Status | Should -Be 'active' }
    }
}

Describe 'deliberation objects in the pipeline' {
    BeforeEach { Skip-Test -Needs v2 }

    BeforeAll {
        if (Get-SkipReason -Needs v2) { return }
        $script:speaker = New-TestPrincipal -Org 'speaker' -Capability offer
    }

    It 'deliberation | Add-MesaTurn' {
        $d = New-MesaDeliberation -Title 'turn pipeline'
        $t = $d | Add-MesaTurn -Content 'hello from the pipeline' -EmittedBy $speaker.Id -Keypair $speaker.Keypair
        $t.Index | Should -Be 0
        $t.DeliberationId | Should -Be $d.Id
        $t2 = $d | Add-MesaTurn -Content 'second' -EmittedBy $speaker.Id -Keypair $speaker.Keypair
        $t2.Index | Should -Be 1
    }

    It 'deliberation | New-MesaEnvelope | Submit-MesaCommitment' {
        $d = New-MesaDeliberation -Title 'envelope pipeline'
        $envelope = $d | New-MesaEnvelope -Type offer -EmittedBy $speaker.Id -Payload (New-OfferPayload) -Keypair $speaker.Keypair
        $envelope.DeliberationId | Should -Be $d.Id
        $envelope.Id | Should -Not -Be $d.Id
        $c = $envelope | Submit-MesaCommitment
        $c.Status | Should -Be 'active'
        (Get-MesaDeliberation -Id $d.Id).Commitments[0].Id | Should -Be $c.Id
    }

    It 'deliberation | Get-MesaDeliberation gives the detail' {
        $d = New-MesaDeliberation -Title 'detail pipeline'
        $null = $d | Add-MesaTurn -Content 'one' -EmittedBy $speaker.Id -Keypair $speaker.Keypair
        $detail = $d | Get-MesaDeliberation
        $detail.PSObject.TypeNames | Should -Contain 'Mesa.DeliberationDetail'
        @($detail.Turns).Count | Should -Be 1
    }

    It 'deliberation | Set-MesaDeliberation and | Close-MesaDeliberation' {
        $d = New-MesaDeliberation -Title 'change pipeline'
        ($d | Set-MesaDeliberation -Stage signoff).Stage | Should -Be 'signoff'
        $d | Close-MesaDeliberation -Confirm:$false
        (Get-MesaDeliberation -Id $d.Id).Status | Should -Be 'closed'
    }

    It 'Get-MesaDeliberation -Status open | Close-MesaDeliberation closes them all' {
        # Only this test's deliberations (a title of its own): the server may hold others' (MESA_TEST_URI).
        $title = New-TestName 'bulk close'
        $mine = 1..2 | ForEach-Object { New-MesaDeliberation -Title "$title $_" }
        Get-MesaDeliberation -Status open | Where-Object Title -Like "$title *" | Close-MesaDeliberation -Confirm:$false
        @(Get-MesaDeliberation -Status open | Where-Object Title -Like "$title *").Count | Should -Be 0
        (Get-MesaDeliberation -Id $mine.Id).Status | Should -Be @('closed', 'closed')
    }
}

Describe 'keypair files in the pipeline' {
    BeforeEach { Skip-Test -Needs v2 }

    It 'New-MesaKeypair | Export-MesaKeypair, then Get-Item | Import-MesaKeypair' {
        $path = Join-Path $TestDrive 'piped.key'
        $kp = New-MesaKeypair
        $kp | Export-MesaKeypair -Path $path
        (Get-Item $path | Import-MesaKeypair).PublicKeyHex | Should -Be $kp.PublicKeyHex
    }
}

Describe '-WhatIf changes nothing' {
    BeforeEach { Skip-Test -Needs v2 }

    BeforeAll {
        if (Get-SkipReason -Needs v2) { return }
        $script:wi = New-TestPrincipal -Org 'whatif-owner' -Capability offer
        $script:wiDelib = New-MesaDeliberation -Title 'whatif'
    }

    It 'New-MesaPrincipal -WhatIf registers nobody' {
        $kp = New-MesaKeypair
        $kp | New-MesaPrincipal -Org 'never-registered' -WhatIf
        (Get-MesaPrincipal).PublicKey | Should -Not -Contain $kp.PublicKeyHex
    }

    It 'New-MesaDeliberation -WhatIf opens nothing' {
        New-MesaDeliberation -Title 'never-opened' -WhatIf
        (Get-MesaDeliberation).Title | Should -Not -Contain 'never-opened'
    }

    It 'Submit-MesaCommitment -WhatIf stores nothing' {
        New-MesaEnvelope -Type offer -EmittedBy $wi.Id -DeliberationId $wiDelib.Id -Payload (New-OfferPayload) -Keypair $wi.Keypair |
            Submit-MesaCommitment -WhatIf
        @((Get-MesaDeliberation -Id $wiDelib.Id).Commitments).Count | Should -Be 0
    }

    # Submit-MesaCommitment decides once per call whether ShouldProcess can only say yes; these keep the preference
    # variables and -Verbose working through that shortcut, at -ThrottleLimit 1 and 8.
    It 'Submit-MesaCommitment under $WhatIfPreference stores nothing (-ThrottleLimit <tl>)' -ForEach @(@{ tl = 1 }, @{ tl = 8 }) {
        $WhatIfPreference = $true
        try {
            1..3 | ForEach-Object { New-OfferPayload } |
                New-MesaEnvelope -Type offer -EmittedBy $wi.Id -DeliberationId $wiDelib.Id -Keypair $wi.Keypair |
                Submit-MesaCommitment -ThrottleLimit $tl
        }
        finally {
            $WhatIfPreference = $false
        }

        @((Get-MesaDeliberation -Id $wiDelib.Id).Commitments).Count | Should -Be 0
    }

    It 'Submit-MesaCommitment under $ConfirmPreference = Medium asks before each envelope; No sends nothing, Yes sends it' {
        Skip-Test -Needs LocalServer
        $script = @'
$server = Start-MesaLocalServer -Connect
$key = New-MesaKeypair
$p = $key | New-MesaPrincipal -Org 'confirm' | Set-MesaCapability -Capability offer
$d = New-MesaDeliberation -Title 'confirm'
$ConfirmPreference = 'Medium'
$null = 'first', 'second' | ForEach-Object { @{ summary = $_; terms = @{} } } |
    New-MesaEnvelope -Type offer -EmittedBy $p.Id -DeliberationId $d.Id -Keypair $key | Submit-MesaCommitment -ThrottleLimit 4
$ConfirmPreference = 'High'
'stored=' + @((Get-MesaDeliberation -Id $d.Id).Commitments).Count
Stop-MesaLocalServer -Server $server
'@
        $run = Invoke-MesaConfirmRun -Script $script -Answers N, Y
        $run.ExitCode | Should -Be 0 -Because $run.Errors
        $run.Prompts | Should -Be 2
        $run.Output | Should -Match 'Submit commitment to '
        $run.Output | Should -Match 'stored=1'
    }

    It 'Submit-MesaCommitment -Verbose names the operation for each envelope' {
        $verboseDelib = New-MesaDeliberation -Title 'verbose'
        $envs = 1..2 | ForEach-Object { New-OfferPayload } |
            New-MesaEnvelope -Type offer -EmittedBy $wi.Id -DeliberationId $verboseDelib.Id -Keypair $wi.Keypair
        $verbose = $envs | Submit-MesaCommitment -ThrottleLimit 4 -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        @($verbose.Message -match '^Performing the operation "Submit commitment to ').Count | Should -Be 2
        @($verbose.Message -match [regex]::Escape($envs[1].Id)).Count | Should -BeGreaterThan 0
    }

    It 'Set-MesaCapability -Add/-Remove -WhatIf keep the list' {
        $wi.Id | Set-MesaCapability -Capability counter -Add -WhatIf
        $wi.Id | Set-MesaCapability -Capability offer -Remove -WhatIf
        @((Get-MesaPrincipal -Id $wi.Id).Capabilities) | Should -Be @('offer')
    }

    It 'Stop-MesaLocalServer -WhatIf leaves the server running' {
        Skip-Test -Needs LocalServer
        Stop-MesaLocalServer -Server $server -WhatIf
        Test-ProcessAlive $server.ProcessId | Should -BeTrue
        Test-MesaConnection -Quiet | Should -BeTrue
    }
}

Describe 'tab completion' {
    BeforeEach { Skip-Test -Needs v2 }

    It 'offers the known commitment types for Set-MesaCapability -Capability' {
        $line = 'Set-MesaCapability -PrincipalId x -Capability o'
        $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $completions | Should -Contain 'offer'
        $completions | Should -Contain 'opt_out_delta'
        $completions | Should -Not -Contain 'license_terms'
    }
}

Describe 'connections across runspaces' {
    BeforeEach { Skip-Test -Needs v2 }

    It 'uses a connection object from ForEach-Object -Parallel' {
        $modulePath = $script:MesaModulePath
        $c = $script:conn
        $titles = 1..3 | ForEach-Object -ThrottleLimit 3 -Parallel {
            Import-Module $using:modulePath
            (New-MesaDeliberation -Title "parallel $_" -Connection $using:c).Title
        }
        ($titles | Sort-Object) | Should -Be @('parallel 1', 'parallel 2', 'parallel 3')
        $listed = (Get-MesaDeliberation).Title
        foreach ($t in 'parallel 1', 'parallel 2', 'parallel 3') { $listed | Should -Contain $t }
    }

    It 'uses a connection object from a thread job' {
        $modulePath = $script:MesaModulePath
        $c = $script:conn
        $job = Start-ThreadJob -ScriptBlock {
            Import-Module $using:modulePath
            Test-MesaConnection -Connection $using:c -Quiet
        }
        $answer = $job | Wait-Job -Timeout 60 | Receive-Job
        $job | Remove-Job -Force
        $answer | Should -BeTrue
    }
}
