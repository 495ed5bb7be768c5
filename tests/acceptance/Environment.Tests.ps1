#requires -Version 7.5
# Issue 10 item 6: configuration without Connect-Mesa. Each case runs in a child pwsh that has only environment
# variables (MESA_URL, MESA_ADMIN_TOKEN, MESA_PROFILE) and the module, as a runbook or CI job would.

BeforeAll {
    . (Join-Path $PSScriptRoot 'AcceptanceHelpers.ps1')
    Import-MesaUnderTest
    $script:token = New-TestAdminToken
    $script:server = Start-TestServer -AdminToken $token
    $script:v1 = Start-TestServer -AdminToken $token -Profile v1

    # The child prints one JSON line last; this reads it (and fails with the whole output when it is missing).
    function Read-ChildResult($Run) {
        $line = @($Run.Output -split "`r?`n" | Where-Object { $_.StartsWith('{') })[-1]
        if (-not $line) { throw "The child wrote no result. Exit $($Run.ExitCode). Output: $($Run.Output) Errors: $($Run.Errors)" }
        $line | ConvertFrom-Json
    }
}

AfterAll {
    Stop-TestServer $script:server
    Stop-TestServer $script:v1
}

Describe 'cmdlets with only $env:MESA_URL (and friends) set' {
    It 'register, grant and commit with MESA_URL and MESA_ADMIN_TOKEN alone' {
        Skip-Test -Needs v2
        $run = Invoke-MesaChildPwsh -Environment @{ MESA_URL = "$($server.Uri)"; MESA_ADMIN_TOKEN = $token.Plain } -Script @'
$ErrorActionPreference = 'Stop'
$key = New-MesaKeypair
$p = $key | New-MesaPrincipal -Org 'env-only' | Set-MesaCapability -Capability offer
$d = New-MesaDeliberation -Title 'from the environment'
$c = New-MesaEnvelope -Type offer -EmittedBy $p.Id -DeliberationId $d.Id -Keypair $key -Payload @{ summary = 's'; terms = @{} } | Submit-MesaCommitment
$conn = Get-MesaConnection
[pscustomobject]@{ Caps = @($p.Capabilities); Status = $c.Status; Uri = "$($conn.Uri)"; HasAdminToken = $conn.HasAdminToken; Profile = "$($conn.Profile)"; ServerStatus = $conn.ServerStatus } | ConvertTo-Json -Compress
'@
        $result = Read-ChildResult $run
        $run.Errors | Should -BeNullOrEmpty
        @($result.Caps) | Should -Be @('offer')
        $result.Status | Should -Be 'active'
        $result.Uri | Should -Be "$($server.Uri)"
        $result.HasAdminToken | Should -BeTrue
        $result.Profile | Should -Be 'V2'
        $result.ServerStatus | Should -Be 'ok'
        $run.Output | Should -Not -Match $token.Plain
    }

    It 'checks /health once per session, not on every cmdlet' {
        Skip-Test -Needs v2
        $run = Invoke-MesaChildPwsh -Environment @{ MESA_URL = "$($server.Uri)" } -Script @'
$log = 1..3 | ForEach-Object { Get-MesaPrincipal -Verbose 4>&1 } | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
[pscustomobject]@{ Health = @($log | Where-Object Message -Match '/health').Count; Lists = @($log | Where-Object Message -Match 'GET \S+/principals ').Count } | ConvertTo-Json -Compress
'@
        $result = Read-ChildResult $run
        $result.Health | Should -Be 1
        $result.Lists | Should -Be 3
    }

    It 'serves parallel runspaces too (the variables are process-wide)' {
        Skip-Test -Needs v2
        $run = Invoke-MesaChildPwsh -Environment @{ MESA_URL = "$($server.Uri)" } -Script @'
$module = (Get-Module Mesa).Path
$uris = 1..3 | ForEach-Object -ThrottleLimit 3 -Parallel { Import-Module $using:module; $null = Get-MesaPrincipal -ErrorAction Stop; "$((Get-MesaConnection).Uri)" }
[pscustomobject]@{ Uris = @($uris | Sort-Object -Unique) } | ConvertTo-Json -Compress
'@
        $result = Read-ChildResult $run
        $run.Errors | Should -BeNullOrEmpty
        @($result.Uris) | Should -Be @("$($server.Uri)")
    }

    It 'takes the profile from MESA_PROFILE: v1 envelopes that a v1 server accepts' {
        Skip-Test -Needs v1
        $run = Invoke-MesaChildPwsh -Environment @{ MESA_URL = "$($v1.Uri)"; MESA_ADMIN_TOKEN = $token.Plain; MESA_PROFILE = 'v1' } -Script @'
$ErrorActionPreference = 'Stop'
$key = New-MesaKeypair
$p = $key | New-MesaPrincipal -Org 'env-v1' | Set-MesaCapability -Capability offer
$e = New-MesaEnvelope -Type offer -EmittedBy $p.Id -Keypair $key -Payload @{ summary = 's'; terms = @{} }
$c = $e | Submit-MesaCommitment
$explicit = Connect-Mesa -Uri $env:MESA_URL -PassThru
[pscustomobject]@{ EnvelopeProfile = "$($e.Profile)"; Status = $c.Status; ConnectProfile = "$($explicit.Profile)" } | ConvertTo-Json -Compress
'@
        $result = Read-ChildResult $run
        $run.Errors | Should -BeNullOrEmpty
        $result.EnvelopeProfile | Should -Be 'V1'
        $result.Status | Should -Be 'active'
        $result.ConnectProfile | Should -Be 'V1'
    }

    It 'follows the variables when they change, and Connect-Mesa wins over them' {
        Skip-Test -Needs LocalServer, v2
        $other = Start-TestServer -AdminToken $token
        try {
            $run = Invoke-MesaChildPwsh -Environment @{ MESA_URL = "$($server.Uri)" } -Script @"
`$first = "`$((Get-MesaConnection).Uri)"; `$null = Get-MesaPrincipal
`$env:MESA_URL = '$($other.Uri)'
`$second = "`$((Get-MesaConnection).Uri)"; `$null = Get-MesaPrincipal
Connect-Mesa -Uri '$($server.Uri)'
`$third = "`$((Get-MesaConnection).Uri)"
Disconnect-Mesa
`$fourth = "`$((Get-MesaConnection).Uri)"
[pscustomobject]@{ First = `$first; Second = `$second; Third = `$third; Fourth = `$fourth } | ConvertTo-Json -Compress
"@
            $result = Read-ChildResult $run
            $run.Errors | Should -BeNullOrEmpty
            $result.First | Should -Be "$($server.Uri)"
            $result.Second | Should -Be "$($other.Uri)"
            $result.Third | Should -Be "$($server.Uri)"
            $result.Fourth | Should -Be "$($other.Uri)"
        }
        finally { Stop-MesaLocalServer -Server $other }
    }

    It 'answers a URL nobody listens on with ConnectionFailed naming $env:MESA_URL' {
        $dead = "http://127.0.0.1:$(Get-FreeTcpPort)"
        $run = Invoke-MesaChildPwsh -Environment @{ MESA_URL = $dead } -Script @'
$watch = [Diagnostics.Stopwatch]::StartNew()
try { Get-MesaPrincipal -ErrorAction Stop } catch { $e = $_ }
[pscustomobject]@{ Id = $e.FullyQualifiedErrorId; Message = "$e"; Seconds = $watch.Elapsed.TotalSeconds } | ConvertTo-Json -Compress
'@
        $result = Read-ChildResult $run
        $result.Id | Should -Be 'ConnectionFailed,Mesa.PowerShell.Commands.GetMesaPrincipalCommand'
        $result.Message | Should -Match ([regex]::Escape('$env:MESA_URL'))
        $result.Message | Should -Match ([regex]::Escape($dead))
        $result.Seconds | Should -BeLessThan 20
    }

    It 'answers a MESA_URL that is not an address with a clear error' {
        $run = Invoke-MesaChildPwsh -Environment @{ MESA_URL = 'localhost-8000' } -Script @'
try { Get-MesaDeliberation -ErrorAction Stop } catch { $e = $_ }
[pscustomobject]@{ Id = $e.FullyQualifiedErrorId; Message = "$e" } | ConvertTo-Json -Compress
'@
        $result = Read-ChildResult $run
        $result.Id | Should -Be 'InvalidEnvironmentConnection,Mesa.PowerShell.Commands.GetMesaDeliberationCommand'
        $result.Message | Should -Match ([regex]::Escape('$env:MESA_URL'))
        $result.Message | Should -Match 'http://127.0.0.1:8000'
    }

    It 'answers a MESA_PROFILE that is neither v1 nor v2 with a clear error' {
        Skip-Test -Needs v2
        $run = Invoke-MesaChildPwsh -Environment @{ MESA_URL = "$($server.Uri)"; MESA_PROFILE = 'v3' } -Script @'
try { Get-MesaPrincipal -ErrorAction Stop } catch { $e = $_ }
try { Connect-Mesa -ErrorAction Stop } catch { $f = $_ }
[pscustomobject]@{ Id = $e.FullyQualifiedErrorId; Message = "$e"; ConnectId = $f.FullyQualifiedErrorId } | ConvertTo-Json -Compress
'@
        $result = Read-ChildResult $run
        $result.Id | Should -Be 'InvalidEnvironmentConnection,Mesa.PowerShell.Commands.GetMesaPrincipalCommand'
        $result.Message | Should -Match 'v1 or v2'
        $result.ConnectId | Should -Be 'InvalidProfile,Mesa.PowerShell.Commands.ConnectMesaCommand'
    }

    It 'refuses a wrong MESA_ADMIN_TOKEN at the first cmdlet, without repeating it' {
        Skip-Test -Needs v2
        $wrong = 'wrong-' + [guid]::NewGuid().ToString('N')
        $run = Invoke-MesaChildPwsh -Environment @{ MESA_URL = "$($server.Uri)"; MESA_ADMIN_TOKEN = $wrong } -Script @'
$before = $null
try { $null = New-MesaKeypair | New-MesaPrincipal -Org 'never' -ErrorAction Stop } catch { $e = $_ }
[pscustomobject]@{ Id = $e.FullyQualifiedErrorId; Message = "$e" } | ConvertTo-Json -Compress
'@
        $result = Read-ChildResult $run
        $result.Id | Should -Be 'AdminTokenRejected,Mesa.PowerShell.Commands.NewMesaPrincipalCommand'
        $result.Message | Should -Match ([regex]::Escape('$env:MESA_ADMIN_TOKEN'))
        $run.Output + $run.Errors | Should -Not -Match $wrong
        (Get-MesaPrincipal -Connection ($server | Connect-Mesa -PassThru)).Org | Should -Not -Contain 'never'
    }

    It 'still says to run Connect-Mesa or set $env:MESA_URL when nothing is set' {
        $run = Invoke-MesaChildPwsh -Script @'
try { Get-MesaPrincipal -ErrorAction Stop } catch { $e = $_ }
[pscustomobject]@{ Id = $e.FullyQualifiedErrorId; Message = "$e"; Fix = $e.ErrorDetails.RecommendedAction; Quiet = (Test-MesaConnection -Quiet) } | ConvertTo-Json -Compress
'@
        $result = Read-ChildResult $run
        $result.Id | Should -Be 'NoConnection,Mesa.PowerShell.Commands.GetMesaPrincipalCommand'
        $result.Message | Should -Match 'Connect-Mesa'
        $result.Message | Should -Match ([regex]::Escape('$env:MESA_URL'))
        $result.Fix | Should -Match 'Start-MesaLocalServer -Connect'
        $result.Quiet | Should -BeFalse
    }
}
