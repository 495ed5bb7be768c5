#requires -Version 7.5
# Secrets never leak: a private key (seed) or an admin token never shows in any view, conversion, error,
# verbose/debug record or transcript. Keypair export/import keeps the seed private on disk.

BeforeAll {
    . (Join-Path $PSScriptRoot 'AcceptanceHelpers.ps1')
    Import-MesaUnderTest
    $script:token = New-TestAdminToken
    $script:policyFile = New-TestPolicyFile -Path (Join-Path $TestDrive 'policies.json')
    $script:server = Start-TestServer -AdminToken $token -PolicyPath $policyFile
    $script:conn = $server | Connect-Mesa -PassThru

    $vectors = Get-Content -Raw (Join-Path $PSScriptRoot '../vectors/signing.json') | ConvertFrom-Json
    $script:vector = $vectors.cases[0]
    function New-Seed { [Convert]::ToHexString([System.Security.Cryptography.RandomNumberGenerator]::GetBytes(32)).ToLowerInvariant() }
    function ConvertTo-Secure([string] $Plain) { ConvertTo-SecureString $Plain -AsPlainText -Force }
    # Every way a user might look at an object.
    function Get-AllRenderings($Object) {
        @(
            $Object | Out-String
            $Object | Format-List * -Force | Out-String
            $Object | Format-Table * -Force | Out-String
            $Object | Select-Object * | Out-String
            $Object | ConvertTo-Json -Depth 3 -WarningAction SilentlyContinue
            $Object | ConvertTo-Csv
            "$Object"
            $Object.ToString()
            [System.Management.Automation.PSSerializer]::Serialize($Object, 3)
        ) -join "`n"
    }
}

AfterAll {
    if ($script:server) { Stop-MesaLocalServer -Server $script:server }
}

Describe 'keypairs' {
    It 'restores the test vector''s keypair from its seed' {
        $kp = New-MesaKeypair -PrivateKeyHex (ConvertTo-Secure $vector.private_key_hex)
        $kp.PublicKeyHex | Should -Be $vector.public_key_hex
    }

    It 'never displays the private key in any view or conversion' {
        $seed = New-Seed
        $kp = New-MesaKeypair -PrivateKeyHex (ConvertTo-Secure $seed)
        $text = Get-AllRenderings $kp
        $text | Should -Match $kp.PublicKeyHex
        $text | Should -Not -Match $seed
        $kp.PSObject.Properties.Name | Should -Not -Match 'Private|Seed|Secret'
    }

    It 'refuses a malformed seed without repeating it' {
        $bad = 'not-a-seed-' + [guid]::NewGuid().ToString('N')
        $err = Get-ErrorRecord { New-MesaKeypair -PrivateKeyHex (ConvertTo-Secure $bad) }
        $err.Exception.Message | Should -Match '64'
        ($err | Format-List * -Force | Out-String) + $err.Exception.Message | Should -Not -Match $bad
    }

    It 'exports the seed with owner-only permissions and imports it back' {
        $seed = New-Seed
        $kp = New-MesaKeypair -PrivateKeyHex (ConvertTo-Secure $seed)
        $path = Join-Path $TestDrive 'alice.key'
        Export-MesaKeypair -Keypair $kp -Path $path
        Get-Content -Raw $path | Should -Match $seed
        if (-not $IsWindows) {
            (Get-Item $path).UnixFileMode | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite')
        }
        (Import-MesaKeypair -Path $path).PublicKeyHex | Should -Be $kp.PublicKeyHex
    }

    It 'does not overwrite an existing file without -Force' {
        $firstSeed = New-Seed
        $secondSeed = New-Seed
        $path = Join-Path $TestDrive 'keep.key'
        Export-MesaKeypair -Keypair (New-MesaKeypair -PrivateKeyHex (ConvertTo-Secure $firstSeed)) -Path $path
        $second = New-MesaKeypair -PrivateKeyHex (ConvertTo-Secure $secondSeed)
        $err = Get-ErrorRecord { Export-MesaKeypair -Keypair $second -Path $path }
        $err.Exception.Message | Should -Match 'Force'
        Get-Content -Raw $path | Should -Match $firstSeed
        Export-MesaKeypair -Keypair $second -Path $path -Force
        Get-Content -Raw $path | Should -Match $secondSeed
        (Import-MesaKeypair -Path $path).PublicKeyHex | Should -Be $second.PublicKeyHex
    }
}

Describe 'admin tokens' {
    It 'returns the server''s admin token only as a SecureString' {
        $server.AdminToken | Should -BeOfType ([securestring])
        Get-AllRenderings $server | Should -Not -Match $token.Plain
    }

    It 'keeps the admin token out of the connection''s views' {
        $conn.HasAdminToken | Should -BeTrue
        Get-AllRenderings $conn | Should -Not -Match $token.Plain
        Get-MesaConnection | Out-String | Should -Not -Match $token.Plain
    }

    It 'generates a token when none is given, usable through the pipeline' {
        $generated = Start-MesaLocalServer
        try {
            $generated.AdminToken | Should -BeOfType ([securestring])
            $generated.AdminToken.Length | Should -BeGreaterThan 15
            $c = $generated | Connect-Mesa -PassThru
            $p = New-MesaKeypair | New-MesaPrincipal -Org 'gen' -Connection $c
            (Set-MesaCapability -PrincipalId $p.Id -Capability offer -Connection $c).Capabilities | Should -Be 'offer'
        }
        finally {
            Stop-MesaLocalServer -Server $generated
            $server | Connect-Mesa
        }
    }
}

Describe 'a full run under Start-Transcript with -Verbose -Debug' {
    BeforeAll {
        $script:seed = New-Seed
        $script:transcriptPath = Join-Path $TestDrive 'transcript.txt'
        $script:keyFile = Join-Path $TestDrive 'transcript.key'
        $DebugPreference = 'Continue'
        Start-Transcript -Path $transcriptPath -Force | Out-Null
        try {
            $v = @{ Verbose = $true; Debug = $true }
            Connect-Mesa -Uri $server.Uri -AdminToken $token.Secure -PassThru @v | Format-List * | Out-Host
            Test-MesaConnection @v | Out-Host
            $kp = New-MesaKeypair -PrivateKeyHex (ConvertTo-Secure $seed) @v
            $kp | Out-Host
            $kp | Format-List * -Force | Out-Host
            $kp | ConvertTo-Json -Depth 3 | Out-Host
            $p = $kp | New-MesaPrincipal -Org 'transcript' @v
            $p = Set-MesaCapability -PrincipalId $p.Id -Capability offer @v
            $p | Format-List * | Out-Host
            Set-MesaCapability -PrincipalId $p.Id -Capability offer -AdminToken $token.Secure @v | Out-Host
            $d = New-MesaDeliberation -Title 'transcribed' @v
            Add-MesaTurn -DeliberationId $d.Id -Content 'hello' -EmittedBy $p.Id -Keypair $kp @v | Out-Host
            $envelope = New-MesaEnvelope -Type offer -EmittedBy $p.Id -DeliberationId $d.Id -Payload (New-OfferPayload -Terms @{ fee_total_usd = 99999 }) -Keypair $kp @v
            $envelope | Format-List * -Force | Out-Host
            Submit-MesaCommitment -Envelope $envelope @v | Format-List * | Out-Host
            try {
                New-MesaEnvelope -Type offer -EmittedBy $p.Id -DeliberationId $d.Id -Payload (New-OfferPayload -Terms @{ discount_pct = 99 }) -Keypair $kp |
                    Submit-MesaCommitment -ErrorAction Stop @v
            }
            catch {
                $_ | Format-List * -Force | Out-Host
                $_.Exception | Format-List * -Force | Out-Host
            }
            Export-MesaKeypair -Keypair $kp -Path $keyFile @v
            Import-MesaKeypair -Path $keyFile @v | Format-List * -Force | Out-Host
            Get-MesaDeliberation -Id $d.Id @v | Out-Host
            Get-MesaLocalServer @v | Format-List * | Out-Host
            Get-MesaConnection | Format-List * | Out-Host
        }
        finally {
            Stop-Transcript | Out-Null
            $DebugPreference = 'SilentlyContinue'
        }
        $script:transcript = Get-Content -Raw $transcriptPath
    }

    It 'recorded the verbose request log and the debug bodies' {
        # Method, URL, status and duration of each request.
        $transcript | Should -Match 'VERBOSE: POST http://127\.0\.0\.1:\d+/commitments\b.*\b201\b.*\d+\s*ms'
        $transcript | Should -Match 'VERBOSE: POST http://127\.0\.0\.1:\d+/commitments\b.*\b403\b.*\d+\s*ms'
        # The request bodies too (an envelope's signed fields).
        $transcript | Should -Match 'DEBUG: .*"emitted_by"'
        $transcript | Should -Match 'VERBOSE: PUT http://127\.0\.0\.1:\d+/principals/[0-9a-f]{32}/capabilities'
        $transcript | Should -Match 'DEBUG: .*policy_blocked'
        $transcript | Should -Match ([regex]::Escape(([uri]"$($server.Uri)").Authority))
    }

    It 'never contains the private key hex (either case, or as base64)' {
        $transcript | Should -Not -Match $seed
        $transcript.Contains($seed.ToUpperInvariant()) | Should -BeFalse
        $transcript.Contains([Convert]::ToBase64String([Convert]::FromHexString($seed))) | Should -BeFalse
    }

    It 'never contains the admin token' {
        $transcript | Should -Not -Match $token.Plain
    }
}
