#requires -Version 7.5
# Connect-Mesa / Disconnect-Mesa / Get-MesaConnection / Test-MesaConnection: the session default, environment
# fallbacks, a failed check keeping the previous default, the NoConnection error.

BeforeAll {
    . (Join-Path $PSScriptRoot 'AcceptanceHelpers.ps1')
    Import-MesaUnderTest
    if (Get-SkipReason -Needs v2) { return }   # every test here needs a v2 server
    $script:token = New-TestAdminToken
    $script:server = Start-TestServer -AdminToken $token
}

AfterAll {
    Remove-Item Env:MESA_URL, Env:MESA_ADMIN_TOKEN -ErrorAction SilentlyContinue
    Stop-TestServer $script:server
}

Describe 'Connect-Mesa' {
    BeforeEach { Skip-Test -Needs v2 }

    It 'becomes the default connection and writes nothing without -PassThru' {
        $out = Connect-Mesa -Uri $server.Uri
        $out | Should -BeNullOrEmpty
        $c = Get-MesaConnection
        "$($c.Uri)" | Should -Be "$($server.Uri)"
        "$($c.Profile)" | Should -Be 'V2'
        $c.HasAdminToken | Should -BeFalse
        $c.ServerStatus | Should -Be 'ok'
        $c.PSObject.TypeNames | Should -Contain 'Mesa.Connection'
    }

    It 'returns the connection with -PassThru and holds the admin token' {
        $c = Connect-Mesa -Uri $server.Uri -AdminToken $token.Secure -TimeoutSec 15 -PassThru
        $c.HasAdminToken | Should -BeTrue
        $c.TimeoutSec | Should -Be 15
    }

    It 'takes Uri and AdminToken by property name from a local server object' {
        $c = $server | Connect-Mesa -PassThru
        "$($c.Uri)" | Should -Be "$($server.Uri)"
        $c.HasAdminToken | Should -BeTrue
    }

    It 'falls back to $env:MESA_URL and $env:MESA_ADMIN_TOKEN' {
        try {
            $env:MESA_URL = "$($server.Uri)"
            $env:MESA_ADMIN_TOKEN = $token.Plain
            $c = Connect-Mesa -PassThru
            "$($c.Uri)" | Should -Be "$($server.Uri)"
            $c.HasAdminToken | Should -BeTrue
            $p = New-MesaKeypair | New-MesaPrincipal -Org 'env'
            @((Set-MesaCapability -PrincipalId $p.Id -Capability offer).Capabilities) | Should -Be @('offer')
        }
        finally {
            Remove-Item Env:MESA_URL, Env:MESA_ADMIN_TOKEN -ErrorAction SilentlyContinue
        }
    }

    It 'is the default of this runspace only' {
        $server | Connect-Mesa
        $modulePath = $script:MesaModulePath
        $elsewhere = 1 | ForEach-Object -Parallel {
            Import-Module $using:modulePath
            [bool](Get-MesaConnection)
        }
        $elsewhere | Should -BeFalse
        Get-MesaConnection | Should -Not -BeNullOrEmpty
    }

    It 'sends extra headers and still works' {
        $c = Connect-Mesa -Uri $server.Uri -Header @{ 'X-Request-Source' = 'acceptance' } -PassThru
        Test-MesaConnection -Connection $c -Quiet | Should -BeTrue
    }

    It 'keeps the previous default when the health check fails (ConnectionFailed)' {
        $server | Connect-Mesa
        $dead = "http://127.0.0.1:$(Get-FreeTcpPort)"
        $err = Get-ErrorRecord { Connect-Mesa -Uri $dead -TimeoutSec 5 }
        $err.Exception | Should -BeOfType ([Mesa.Client.MesaException])
        $err.Exception.StatusCode | Should -BeNullOrEmpty
        $err.Exception.ErrorClass | Should -Be 'ConnectionFailed'
        $err.FullyQualifiedErrorId | Should -Be 'ConnectionFailed,Mesa.PowerShell.Commands.ConnectMesaCommand'
        $err.CategoryInfo.Category | Should -Be 'ConnectionError'
        "$((Get-MesaConnection).Uri)" | Should -Be "$($server.Uri)"
    }
}

Describe 'Test-MesaConnection' {
    BeforeEach { Skip-Test -Needs v2 }

    BeforeAll { if (-not (Get-SkipReason -Needs v2)) { $script:conn = $server | Connect-Mesa -PassThru } }

    It 'returns Uri, Status and RoundTripMs' {
        $t = Test-MesaConnection
        "$($t.Uri)" | Should -Be "$($server.Uri)"
        $t.Status | Should -Not -BeNullOrEmpty
        $t.RoundTripMs | Should -BeGreaterOrEqual 0
        $t.PSObject.TypeNames | Should -Contain 'Mesa.ConnectionTest'
    }

    It 'answers $true/$false with -Quiet' {
        Skip-Test -Needs LocalServer
        Test-MesaConnection -Quiet | Should -BeTrue
        Test-MesaConnection -Connection $conn -Quiet | Should -BeTrue
        $other = Start-MesaLocalServer
        $otherConn = $other | Connect-Mesa -PassThru
        Stop-MesaLocalServer -Server $other
        $server | Connect-Mesa
        Test-MesaConnection -Connection $otherConn -Quiet | Should -BeFalse
        $err = Get-ErrorRecord { Get-MesaPrincipal -Connection $otherConn }
        $err.Exception.GetType() | Should -Be ([Mesa.Client.MesaException])
        $err.FullyQualifiedErrorId | Should -Be 'ConnectionFailed,Mesa.PowerShell.Commands.GetMesaPrincipalCommand'
        $err.CategoryInfo.Category | Should -Be 'ConnectionError'
    }
}

Describe 'Disconnect-Mesa and the NoConnection error' {
    BeforeEach { Skip-Test -Needs v2 }

    It 'clears the default, and cmdlets then say to run Connect-Mesa' {
        $server | Connect-Mesa
        Disconnect-Mesa
        Get-MesaConnection | Should -BeNullOrEmpty
        $err = Get-ErrorRecord { Get-MesaPrincipal }
        $err.FullyQualifiedErrorId | Should -Be 'NoConnection,Mesa.PowerShell.Commands.GetMesaPrincipalCommand'
        $err.CategoryInfo.Category | Should -Be 'ConnectionError'
        $err.Exception.Message | Should -Match 'Connect-Mesa'
    }

    It 'makes v2 envelopes when there is no connection to take a profile from' {
        Disconnect-Mesa
        $e = New-MesaEnvelope -Type offer -EmittedBy 'someone' -Payload @{ summary = 's'; terms = @{} }
        "$($e.Profile)" | Should -Be 'V2'
    }

    It 'still works with -Connection after the default is gone' {
        $c = Connect-Mesa -Uri $server.Uri -PassThru
        $null = Connect-Mesa -Uri $server.Uri
        Disconnect-Mesa
        @(Get-MesaPrincipal -Connection $c).Count | Should -BeGreaterOrEqual 1
    }
}
