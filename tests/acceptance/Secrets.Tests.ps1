#requires -Version 7.5
# Secrets never leak: a private key (seed) or an admin token never shows in any view, conversion, error,
# verbose/debug record or transcript. Keypair export/import keeps the seed private on disk.

BeforeAll {
    . (Join-Path $PSScriptRoot 'AcceptanceHelpers.ps1')
    Import-MesaUnderTest
    if (Get-SkipReason -Needs v2) { return }   # every test here needs a v2 server
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
    Stop-TestServer $script:server
}

Describe 'keypairs' {
    BeforeEach { Skip-Test -Needs v2 }

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
    BeforeEach { Skip-Test -Needs v2 }

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
        Skip-Test -Needs LocalServer
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
    BeforeEach { Skip-Test -Needs v2, LocalServer }

    BeforeAll {
        if (Get-SkipReason -Needs v2, LocalServer) { return }
        # The run happens in a child pwsh of its own, as a user's session would: its own local server, every
        # cmdlet with -Verbose -Debug, every object shown, an error shown in full. The secrets reach it through
        # its environment, never its command line.
        $script:seed = New-Seed
        $script:transcriptPath = Join-Path $TestDrive 'transcript.txt'
        $runScript = Join-Path $TestDrive 'transcribed-run.ps1'
        @'
param([string] $ModulePath, [string] $PolicyPath, [string] $TranscriptPath, [string] $KeyFile)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
$token = ConvertTo-SecureString $env:MESA_TEST_ADMIN_TOKEN -AsPlainText -Force
$seed = ConvertTo-SecureString $env:MESA_TEST_SEED -AsPlainText -Force
Start-Transcript -Path $TranscriptPath -Force | Out-Null
$v = @{ Verbose = $true; Debug = $true }
$server = Start-MesaLocalServer -AdminToken $token -PolicyPath $PolicyPath @v
try {
    $server | Format-List *
    $server | Connect-Mesa -PassThru @v | Format-List *
    Test-MesaConnection @v
    $kp = New-MesaKeypair -PrivateKeyHex $seed @v
    $kp
    $kp | Format-List * -Force
    $kp | ConvertTo-Json -Depth 3
    $p = $kp | New-MesaPrincipal -Org 'transcript' @v
    $p = Set-MesaCapability -PrincipalId $p.Id -Capability offer @v
    $p | Format-List *
    Set-MesaCapability -PrincipalId $p.Id -Capability offer -AdminToken $token @v
    $d = New-MesaDeliberation -Title 'transcribed' @v
    Add-MesaTurn -DeliberationId $d.Id -Content 'hello' -EmittedBy $p.Id -Keypair $kp @v
    $envelope = New-MesaEnvelope -Type offer -EmittedBy $p.Id -DeliberationId $d.Id -Keypair $kp @v `
        -Payload @{ summary = 'big'; terms = @{ fee_total_usd = 99999 } }
    $envelope | Format-List * -Force
    Submit-MesaCommitment -Envelope $envelope @v | Format-List *
    try {
        New-MesaEnvelope -Type offer -EmittedBy $p.Id -DeliberationId $d.Id -Keypair $kp -Payload @{ summary = 'cut'; terms = @{ discount_pct = 99 } } |
            Submit-MesaCommitment @v
    }
    catch {
        $_ | Format-List * -Force
        $_.Exception | Format-List * -Force
    }
    Export-MesaKeypair -Keypair $kp -Path $KeyFile @v
    Import-MesaKeypair -Path $KeyFile @v | Format-List * -Force
    Get-MesaDeliberation -Id $d.Id @v
    Get-MesaLocalServer @v | Format-List *
    Get-MesaConnection | Format-List *
}
finally {
    Stop-MesaLocalServer -Server $server @v
    Stop-Transcript | Out-Null
}
'@ | Set-Content -Path $runScript

        $env:MESA_TEST_ADMIN_TOKEN = $token.Plain
        $env:MESA_TEST_SEED = $seed
        try {
            $dll = Join-Path $PSHOME 'pwsh.dll'
            $exe, $first = if (Test-Path $dll) { 'dotnet', $dll } else { (Join-Path $PSHOME 'pwsh'), $null }
            $arguments = @($first | Where-Object { $_ }) + @(
                '-NoProfile', '-NonInteractive', '-File', $runScript,
                '-ModulePath', $script:MesaModulePath, '-PolicyPath', $policyFile,
                '-TranscriptPath', $transcriptPath, '-KeyFile', (Join-Path $TestDrive 'transcript.key'))
            $script:childOutput = & $exe @arguments 2>&1 | Out-String
            $script:childExit = $LASTEXITCODE
        }
        finally {
            Remove-Item Env:MESA_TEST_ADMIN_TOKEN, Env:MESA_TEST_SEED -ErrorAction SilentlyContinue
        }
        $script:transcript = if (Test-Path $transcriptPath) { Get-Content -Raw $transcriptPath } else { '' }
    }

    It 'ran to the end' {
        $childExit | Should -Be 0 -Because $childOutput
        $transcript | Should -Match 'transcribed'
        $transcript | Should -Match 'policy_blocked'
        # Its server is gone with it.
        $found = [regex]::Match($transcript, 'ProcessId\s*:\s*(\d+)')
        $found.Success | Should -BeTrue
        Wait-ProcessExit -Id ([int]$found.Groups[1].Value) | Should -BeTrue
    }

    It 'recorded the verbose request log and the debug bodies' {
        # Method, URL, status and duration of each request.
        $transcript | Should -Match 'VERBOSE: POST http://127\.0\.0\.1:\d+/commitments\b.*\b201\b.*\d+\s*ms'
        $transcript | Should -Match 'VERBOSE: POST http://127\.0\.0\.1:\d+/commitments\b.*\b403\b.*\d+\s*ms'
        # The request bodies too (an envelope's signed fields).
        $transcript | Should -Match 'DEBUG: .*"emitted_by"'
        $transcript | Should -Match 'VERBOSE: PUT http://127\.0\.0\.1:\d+/principals/[0-9a-f]{32}/capabilities'
        $transcript | Should -Match 'DEBUG: .*policy_blocked'
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
