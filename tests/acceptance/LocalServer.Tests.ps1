#requires -Version 7.5
# Issue 5: Start/Get/Stop-MesaLocalServer. Start, connect, use, stop; no process left behind (after
# Stop-MesaLocalServer, Remove-Module Mesa, and pwsh exiting); two servers at once; a policies file in effect;
# a broken policies file and a taken port reported clearly.

BeforeAll {
    . (Join-Path $PSScriptRoot 'AcceptanceHelpers.ps1')
    Import-MesaUnderTest
    # The local-server cmdlets themselves: every test here starts servers of its own.
    if (Get-SkipReason -Needs LocalServer) { return }
    $script:token = New-TestAdminToken
    $script:policyFile = New-TestPolicyFile -Path (Join-Path $TestDrive 'policies.json')
    # Processes whose command line mentions a text: proves that a failed start left no server behind.
    function Get-ProcessByCommandLine([string] $Text) {
        @(Get-Process -ErrorAction SilentlyContinue | Where-Object { $_.CommandLine -and $_.CommandLine.Contains($Text) })
    }
    # Runs a child pwsh the same way this one runs (as a dotnet tool here: dotnet <PSHOME>/pwsh.dll).
    function Invoke-ChildPwsh([string] $Command) {
        $dll = Join-Path $PSHOME 'pwsh.dll'
        if (Test-Path $dll) { & dotnet $dll -NoProfile -NonInteractive -Command $Command }
        else { & (Join-Path $PSHOME 'pwsh') -NoProfile -NonInteractive -Command $Command }
    }
}

AfterAll {
    # Whatever a failed test may have left: this file's servers only (every earlier file stopped its own).
    Get-MesaLocalServer -ErrorAction SilentlyContinue | Stop-MesaLocalServer -ErrorAction SilentlyContinue
}

Describe 'start, connect, use, stop' {
    BeforeEach { Skip-Test -Needs LocalServer }

    BeforeAll {
        if (Get-SkipReason -Needs LocalServer) { return }
        $script:s = Start-MesaLocalServer -AdminToken $token.Secure -PolicyPath $policyFile
        $script:c = $s | Connect-Mesa -PassThru
    }

    AfterAll {
        if ($script:s -and (Test-ProcessAlive $script:s.ProcessId)) { Stop-MesaLocalServer -Server $script:s }
    }

    It 'returns Uri, ProcessId, DatabasePath, Profile and AdminToken' {
        $s.PSObject.TypeNames | Should -Contain 'Mesa.LocalServer'
        "$($s.Uri)" | Should -Match '^http://127\.0\.0\.1:\d+/?$'
        $s.ProcessId | Should -BeGreaterThan 0
        Test-ProcessAlive $s.ProcessId | Should -BeTrue
        $s.PSObject.Properties.Name | Should -Contain 'DatabasePath'
        "$($s.Profile)" | Should -Be 'v2'
        $s.AdminToken | Should -BeOfType ([securestring])
    }

    It 'answers as soon as it is returned' {
        Test-MesaConnection -Connection $c -Quiet | Should -BeTrue
        $t = Test-MesaConnection -Connection $c
        "$($t.Uri)" | Should -Be "$($c.Uri)"
        $t.RoundTripMs | Should -BeGreaterOrEqual 0
    }

    It 'serves the quickstart with the policies file in effect' {
        $kp = New-MesaKeypair
        $p = $kp | New-MesaPrincipal -Org 'local'
        $p = $p | Set-MesaCapability -Capability offer
        $d = New-MesaDeliberation -Title 'local server'
        $allowed = New-MesaEnvelope -Type offer -EmittedBy $p.Id -DeliberationId $d.Id -Payload (New-OfferPayload) -Keypair $kp | Submit-MesaCommitment
        $allowed.Status | Should -Be 'active'
        $flagged = New-MesaEnvelope -Type offer -EmittedBy $p.Id -DeliberationId $d.Id -Payload (New-OfferPayload -Terms @{ fee_total_usd = 12345 }) -Keypair $kp | Submit-MesaCommitment
        $flagged.Status | Should -Be 'flagged'
        $flagged.Decision.Applied[0].PolicyName | Should -Be 'flag-large-spend'
        $err = Get-ErrorRecord { New-MesaEnvelope -Type offer -EmittedBy $p.Id -DeliberationId $d.Id -Payload (New-OfferPayload -Terms @{ discount_pct = 50 }) -Keypair $kp | Submit-MesaCommitment }
        $err.Exception.Code | Should -Be 'policy_blocked'
        $err.Exception.GetDetailValue('policy_name') | Should -Be 'block-deep-discount'
    }

    It 'is listed by Get-MesaLocalServer as answering' {
        $entry = @(Get-MesaLocalServer | Where-Object ProcessId -EQ $s.ProcessId)
        $entry.Count | Should -Be 1
        "$($entry[0].Uri)" | Should -Be "$($s.Uri)"
        $entry[0].Responding | Should -BeTrue
    }

    It 'shows a server that died on its own as no longer responding' {
        $victim = Start-MesaLocalServer
        try {
            Stop-Process -Id $victim.ProcessId -Force
            Wait-ProcessExit -Id $victim.ProcessId | Should -BeTrue
            $entry = @(Get-MesaLocalServer | Where-Object ProcessId -EQ $victim.ProcessId)
            $entry.Count | Should -Be 1
            $entry[0].Responding | Should -BeFalse
        }
        finally { Stop-MesaLocalServer -Server $victim -ErrorAction SilentlyContinue }
    }

    It 'stops with Stop-MesaLocalServer and leaves no process behind' {
        $id = $s.ProcessId
        Stop-MesaLocalServer -Server $s
        Wait-ProcessExit -Id $id -TimeoutSec 10 | Should -BeTrue
        Test-MesaConnection -Connection $c -Quiet | Should -BeFalse
        @(Get-MesaLocalServer | Where-Object { $_.ProcessId -eq $id -and $_.Responding }).Count | Should -Be 0
    }
}

Describe 'options' {
    BeforeEach { Skip-Test -Needs LocalServer }

    It 'makes the server the default connection with -Connect' {
        $s = Start-MesaLocalServer -Connect
        try {
            "$((Get-MesaConnection).Uri)" | Should -Be "$($s.Uri)"
            Test-MesaConnection -Quiet | Should -BeTrue
            # The generated admin token came along: capabilities can be granted.
            $p = New-MesaKeypair | New-MesaPrincipal -Org 'connected'
            @(($p | Set-MesaCapability -Capability offer).Capabilities) | Should -Be @('offer')
        }
        finally { Stop-MesaLocalServer -Server $s }
    }

    It 'listens on the port given with -Port' {
        $port = Get-FreeTcpPort
        $s = Start-MesaLocalServer -Port $port
        try {
            ([uri]"$($s.Uri)").Port | Should -Be $port
            $c = $s | Connect-Mesa -PassThru
            Test-MesaConnection -Connection $c -Quiet | Should -BeTrue
        }
        finally { Stop-MesaLocalServer -Server $s }
    }

    It 'keeps data in the -DatabasePath file across restarts' {
        $db = Join-Path $TestDrive 'persist.db'
        $first = Start-MesaLocalServer -DatabasePath $db
        try {
            $first.DatabasePath | Should -Be $db
            $p = New-MesaKeypair | New-MesaPrincipal -Org 'persisted' -Connection ($first | Connect-Mesa -PassThru)
        }
        finally { Stop-MesaLocalServer -Server $first }
        Test-Path $db | Should -BeTrue
        $second = Start-MesaLocalServer -DatabasePath $db
        try {
            (Get-MesaPrincipal -Id $p.Id -Connection ($second | Connect-Mesa -PassThru)).Org | Should -Be 'persisted'
        }
        finally { Stop-MesaLocalServer -Server $second }
    }

    It 'uses a throwaway store without -DatabasePath' {
        $a = Start-MesaLocalServer
        try {
            $ca = $a | Connect-Mesa -PassThru
            $null = New-MesaKeypair | New-MesaPrincipal -Org 'gone soon' -Connection $ca
        }
        finally { Stop-MesaLocalServer -Server $a }
        $b = Start-MesaLocalServer
        try {
            @(Get-MesaPrincipal -Connection ($b | Connect-Mesa -PassThru)).Count | Should -Be 0
        }
        finally { Stop-MesaLocalServer -Server $b }
    }
}

Describe 'two servers at once' {
    BeforeEach { Skip-Test -Needs LocalServer }

    BeforeAll {
        if (Get-SkipReason -Needs LocalServer) { return }
        $script:one = Start-MesaLocalServer -AdminToken $token.Secure
        $script:two = Start-MesaLocalServer -AdminToken $token.Secure -PolicyPath $policyFile
        $script:c1 = $one | Connect-Mesa -PassThru
        $script:c2 = $two | Connect-Mesa -PassThru
    }

    AfterAll {
        foreach ($x in $script:one, $script:two) { if ($x -and (Test-ProcessAlive $x.ProcessId)) { Stop-MesaLocalServer -Server $x } }
    }

    It 'runs both on different ports, each answering' {
        ([uri]"$($one.Uri)").Port | Should -Not -Be ([uri]"$($two.Uri)").Port
        $one.ProcessId | Should -Not -Be $two.ProcessId
        Test-MesaConnection -Connection $c1 -Quiet | Should -BeTrue
        Test-MesaConnection -Connection $c2 -Quiet | Should -BeTrue
        @(Get-MesaLocalServer | Where-Object { $_.ProcessId -in $one.ProcessId, $two.ProcessId }).Count | Should -Be 2
    }

    It 'keeps their data apart and applies each one''s own policies' {
        $kp = New-MesaKeypair
        $p1 = $kp | New-MesaPrincipal -Org 'on-one' -Connection $c1
        $p2 = $kp | New-MesaPrincipal -Org 'on-two' -Connection $c2
        (Get-MesaPrincipal -Connection $c1).Org | Should -Not -Contain 'on-two'
        (Get-MesaPrincipal -Connection $c2).Org | Should -Not -Contain 'on-one'
        $null = Set-MesaCapability -PrincipalId $p1.Id -Capability offer -Connection $c1
        $null = Set-MesaCapability -PrincipalId $p2.Id -Capability offer -Connection $c2
        $d1 = New-MesaDeliberation -Title 'one' -Connection $c1
        $d2 = New-MesaDeliberation -Title 'two' -Connection $c2
        $payload = New-OfferPayload -Terms @{ fee_total_usd = 50000 }
        (New-MesaEnvelope -Type offer -EmittedBy $p1.Id -DeliberationId $d1.Id -Payload $payload -Keypair $kp | Submit-MesaCommitment -Connection $c1).Status | Should -Be 'active'
        (New-MesaEnvelope -Type offer -EmittedBy $p2.Id -DeliberationId $d2.Id -Payload $payload -Keypair $kp | Submit-MesaCommitment -Connection $c2).Status | Should -Be 'flagged'
    }

    It 'stops every server this session started when given no argument' {
        $ids = $one.ProcessId, $two.ProcessId
        Stop-MesaLocalServer
        foreach ($id in $ids) { Wait-ProcessExit -Id $id -TimeoutSec 10 | Should -BeTrue }
        @(Get-MesaLocalServer | Where-Object { $_.ProcessId -in $ids -and $_.Responding }).Count | Should -Be 0
    }
}

Describe 'failures are reported clearly' {
    BeforeEach { Skip-Test -Needs LocalServer }

    It 'reports a broken policies file with the reason, and leaves no process' {
        $broken = Join-Path $TestDrive 'broken-policies.json'
        Set-Content -Path $broken -Value '[{ "name": "half a policy", "action": '
        $err = Get-ErrorRecord { Start-MesaLocalServer -PolicyPath $broken }
        $err.Exception.Message | Should -Match 'polic'
        $err.Exception.Message | Should -Match 'JSON|parse|invalid|broken'
        Wait-Until { -not (Get-ProcessByCommandLine $broken) } | Should -BeTrue -Because 'the failed server exits'
    }

    It 'reports a policy the protocol does not allow (route without route_to)' {
        $bad = Join-Path $TestDrive 'route-without-target.json'
        '[{"name":"nowhere","scope_kind":"global","predicate_name":"spend_over_cap","params":{"cap":1},"action":"route"}]' | Set-Content -Path $bad
        $err = Get-ErrorRecord { Start-MesaLocalServer -PolicyPath $bad }
        $err.Exception.Message | Should -Match 'route_to'
        Wait-Until { -not (Get-ProcessByCommandLine $bad) } | Should -BeTrue -Because 'the failed server exits'
    }

    It 'reports a policies file that does not exist, naming it' {
        $missing = Join-Path $TestDrive 'no-such-policies.json'
        $err = Get-ErrorRecord { Start-MesaLocalServer -PolicyPath $missing }
        $err.Exception.Message | Should -Match ([regex]::Escape('no-such-policies.json'))
    }

    It 'reports a taken port, naming it, and leaves no process' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        try {
            $port = $listener.LocalEndpoint.Port
            $err = Get-ErrorRecord { Start-MesaLocalServer -Port $port }
            $err.Exception.Message | Should -Match "$port"
            $err.Exception.Message | Should -Match 'in use|already|taken'
            Wait-Until { -not (Get-ProcessByCommandLine "127.0.0.1:$port") } | Should -BeTrue -Because 'the failed server exits'
        }
        finally { $listener.Stop() }
    }
}

Describe 'servers never outlive the session' {
    BeforeEach { Skip-Test -Needs LocalServer }

    It 'stops the servers when the module is removed' {
        $s = Start-MesaLocalServer
        Test-ProcessAlive $s.ProcessId | Should -BeTrue
        try {
            Remove-Module Mesa
            Wait-ProcessExit -Id $s.ProcessId -TimeoutSec 10 | Should -BeTrue
        }
        finally {
            if (Test-ProcessAlive $s.ProcessId) { Stop-Process -Id $s.ProcessId -Force }
            Import-MesaUnderTest
        }
    }

    It 'stops the servers when pwsh exits' {
        $script = "Import-Module '$($script:MesaModulePath)'; `$s = Start-MesaLocalServer; " +
            "if (Get-Process -Id `$s.ProcessId -ErrorAction SilentlyContinue) { 'ALIVE ' + `$s.ProcessId }"
        $output = Invoke-ChildPwsh $script
        $LASTEXITCODE | Should -Be 0
        $line = @($output) -match '^ALIVE \d+$' | Select-Object -Last 1
        $line | Should -Not -BeNullOrEmpty -Because "the child should report its running server; it wrote: $output"
        $id = [int]($line -replace '^ALIVE ', '')
        try {
            Wait-ProcessExit -Id $id -TimeoutSec 10 | Should -BeTrue
        }
        finally {
            if (Test-ProcessAlive $id) { Stop-Process -Id $id -Force }
        }
    }
}
