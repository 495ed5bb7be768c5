#requires -Version 7.5
# Issue 10 item 4: pipelines that chain (connections into Test-MesaConnection; turns, commitments and envelopes into
# Get-MesaDeliberation by their DeliberationId), Add-MesaTurn -WhatIf/-Confirm, and tab completion of principal and
# deliberation ids from the connection (bounded time, briefly cached, nothing without a connection).

BeforeAll {
    . (Join-Path $PSScriptRoot 'AcceptanceHelpers.ps1')
    Import-MesaUnderTest
    if (Get-SkipReason -Needs v2) { return }   # every test here needs a v2 server
    $script:token = New-TestAdminToken
    $script:server = Start-TestServer -AdminToken $token
    $script:conn = $server | Connect-Mesa -PassThru
    $script:agent = New-TestPrincipal -Org 'chain-agent' -Capability offer
    $script:deal = New-MesaDeliberation -Title 'Chaining deal'

    function Get-Completion([string] $Line) {
        (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches
    }
}

AfterAll {
    Remove-Item Env:MESA_URL -ErrorAction SilentlyContinue
    Get-MesaLocalServer -ErrorAction SilentlyContinue | Stop-MesaLocalServer -ErrorAction SilentlyContinue
}

Describe 'connections pipe into Test-MesaConnection' {
    BeforeEach { Skip-Test -Needs v2 }

    It 'Get-MesaConnection | Test-MesaConnection' {
        $t = Get-MesaConnection | Test-MesaConnection
        $t.Succeeded | Should -BeTrue
        "$($t.Uri)" | Should -Be "$($server.Uri)"
        Get-MesaConnection | Test-MesaConnection -Quiet | Should -BeTrue
    }

    It 'tests each connection piped in, a dead one as not answering' {
        Skip-Test -Needs LocalServer
        $dead = Start-MesaLocalServer
        $deadConn = $dead | Connect-Mesa -PassThru
        Stop-MesaLocalServer -Server $dead
        $server | Connect-Mesa
        $results = $conn, $deadConn | Test-MesaConnection
        $results.Succeeded | Should -Be @($true, $false)
        "$($results[1].Uri)" | Should -Be "$($deadConn.Uri)"
    }
}

Describe 'objects that name their deliberation pipe into the deliberation cmdlets' {
    BeforeEach { Skip-Test -Needs v2 }

    BeforeAll {
        if (Get-SkipReason -Needs v2) { return }
        $script:turn = $deal | Add-MesaTurn -Content 'opening' -EmittedBy $agent.Id -Keypair $agent.Keypair
        $script:envelope = $deal | New-MesaEnvelope -Type offer -EmittedBy $agent.Id -Payload (New-OfferPayload) -Keypair $agent.Keypair
        $script:commitment = $envelope | Submit-MesaCommitment
    }

    It 'a submitted commitment carries its DeliberationId' {
        $commitment.DeliberationId | Should -Be $deal.Id
    }

    It 'a turn gives its DeliberationId, not its own Id' {
        $turn.Id | Should -Not -Be $deal.Id
        ($turn | Get-MesaDeliberation).Id | Should -Be $deal.Id
    }

    It 'a submitted commitment, an envelope and a listed commitment give theirs' {
        ($commitment | Get-MesaDeliberation).Id | Should -Be $deal.Id
        ($envelope | Get-MesaDeliberation).Id | Should -Be $deal.Id
        $listed = (Get-MesaDeliberation -Id $deal.Id).Commitments[0]
        $listed.DeliberationId | Should -Be $deal.Id
        ($listed | Get-MesaDeliberation).Id | Should -Be $deal.Id
        (Get-MesaCommitment -DeliberationId $deal.Id | Get-MesaDeliberation).Id | Should -Be $deal.Id
    }

    It 'given to -Id explicitly as well' {
        (Get-MesaDeliberation -Id $turn).Id | Should -Be $deal.Id
        @(Get-MesaDeliberation -Id $turn, $commitment).Id | Should -Be @($deal.Id, $deal.Id)
    }

    It 'deliberations, ids and objects with only an Id still bind as before' {
        ($deal | Get-MesaDeliberation).Id | Should -Be $deal.Id
        ($deal.Id | Get-MesaDeliberation).Id | Should -Be $deal.Id
        ([pscustomobject]@{ Id = $deal.Id } | Get-MesaDeliberation).Id | Should -Be $deal.Id
        @(Get-MesaDeliberation | Get-MesaDeliberation).Count | Should -Be @(Get-MesaDeliberation).Count
    }

    It 'a turn pipes into Set-MesaDeliberation and Close-MesaDeliberation' {
        $d = New-MesaDeliberation -Title 'closed through a turn'
        $t = $d | Add-MesaTurn -Content 'last words' -EmittedBy $agent.Id -Keypair $agent.Keypair
        ($t | Set-MesaDeliberation -Stage signoff).Id | Should -Be $d.Id
        ($t | Close-MesaDeliberation -Confirm:$false).Status | Should -Be 'closed'
        (Get-MesaDeliberation -Id $d.Id).Status | Should -Be 'closed'
    }
}

Describe 'Add-MesaTurn -WhatIf and -Confirm' {
    BeforeEach { Skip-Test -Needs v2 }

    It '-WhatIf posts nothing, built or given as an envelope' {
        $d = New-MesaDeliberation -Title 'whatif turns'
        $d | Add-MesaTurn -Content 'not said' -EmittedBy $agent.Id -Keypair $agent.Keypair -WhatIf
        New-MesaEnvelope -Type turn -EmittedBy $agent.Id -DeliberationId $d.Id -Payload @{ content = 'not said either' } -Keypair $agent.Keypair |
            Add-MesaTurn -WhatIf
        @((Get-MesaDeliberation -Id $d.Id).Turns).Count | Should -Be 0
    }

    It '-Confirm prompts; No posts nothing, Yes posts the turn' {
        Skip-Test -Needs LocalServer
        $script = @'
$server = Start-MesaLocalServer -Connect
$key = New-MesaKeypair
$p = $key | New-MesaPrincipal -Org 'confirm'
$d = New-MesaDeliberation -Title 'confirm'
$null = $d | Add-MesaTurn -Content 'first' -EmittedBy $p.Id -Keypair $key -Confirm
$null = $d | Add-MesaTurn -Content 'second' -EmittedBy $p.Id -Keypair $key -Confirm
'turns=' + ((Get-MesaDeliberation -Id $d.Id).Turns.Content -join ',')
Stop-MesaLocalServer -Server $server
'@
        $run = Invoke-MesaConfirmRun -Script $script -Answers N, Y
        $run.ExitCode | Should -Be 0 -Because $run.Errors
        $run.Prompts | Should -Be 2
        $run.Output | Should -Match 'Add turn'
        $run.Output | Should -Match 'turns=second'
    }
}

Describe 'tab completion of principal and deliberation ids' {
    BeforeEach { Skip-Test -Needs v2 }

    It 'offers principal ids with the org as tooltip for <Line>' -ForEach @(
        @{ Line = 'Get-MesaPrincipal -Id ' }
        @{ Line = 'Set-MesaCapability -Capability offer -PrincipalId ' }
        @{ Line = 'New-MesaEnvelope -Type offer -EmittedBy ' }
        @{ Line = 'Add-MesaTurn -Content hi -EmittedBy ' }
        @{ Line = 'Get-MesaCommitment -DeliberationId x -PrincipalId ' }
    ) {
        $found = Get-Completion $Line
        $mine = $found | Where-Object CompletionText -EQ $agent.Id
        $mine | Should -Not -BeNullOrEmpty
        $mine.ToolTip | Should -Match 'chain-agent'
        $mine.ResultType | Should -Be 'ParameterValue'
    }

    It 'offers deliberation ids with the title as tooltip for <Line>' -ForEach @(
        @{ Line = 'Get-MesaDeliberation -Id ' }
        @{ Line = 'Set-MesaDeliberation -Stage scope -Id ' }
        @{ Line = 'Close-MesaDeliberation -Id ' }
        @{ Line = 'New-MesaEnvelope -Type offer -DeliberationId ' }
        @{ Line = 'Add-MesaTurn -Content hi -DeliberationId ' }
        @{ Line = 'Get-MesaCommitment -DeliberationId ' }
    ) {
        $mine = Get-Completion $Line | Where-Object CompletionText -EQ $deal.Id
        $mine | Should -Not -BeNullOrEmpty
        $mine.ToolTip | Should -Match 'Chaining deal'
    }

    It 'narrows to the ids that start with the word, or whose org starts with it' {
        $byId = @(Get-Completion "Get-MesaPrincipal -Id $($agent.Id.Substring(0, 12))")
        $byId.CompletionText | Should -Be @($agent.Id)
        (Get-Completion 'Get-MesaPrincipal -Id chain-ag').CompletionText | Should -Contain $agent.Id
        @(Get-Completion 'Get-MesaPrincipal -Id zzzz-nothing').Count | Should -Be 0
    }

    It 'asks the connection given on the command line' {
        Skip-Test -Needs LocalServer
        $other = Start-MesaLocalServer
        try {
            $otherConn = $other | Connect-Mesa -PassThru
            $server | Connect-Mesa
            $there = $otherConn.Client.CreatePrincipalAsync('elsewhere', (New-MesaKeypair).PublicKeyHex, [Threading.CancellationToken]::None).GetAwaiter().GetResult()
            (Get-Completion 'Get-MesaPrincipal -Connection $otherConn -Id ').CompletionText | Should -Be @($there.Id)
            (Get-Completion 'Get-MesaPrincipal -Id ').CompletionText | Should -Not -Contain $there.Id
        }
        finally { Stop-MesaLocalServer -Server $other }
    }

    It 'keeps a list for a few seconds, then asks again' {
        $line = 'Get-MesaPrincipal -Id '
        $null = Get-Completion $line
        $fresh = New-TestPrincipal -Org 'after-the-first-tab' -Capability @()
        (Get-Completion $line).CompletionText | Should -Not -Contain $fresh.Id -Because 'the list fetched a moment ago is reused'
        $seen = Wait-Until { (Get-Completion $line).CompletionText -contains $fresh.Id } -TimeoutSec 20 -IntervalMs 500
        $seen | Should -BeTrue -Because 'the cache expires after about 10 seconds'
    }

    It 'offers nothing, and writes no error, without a connection' {
        Disconnect-Mesa
        try {
            $Error.Clear()
            $watch = [Diagnostics.Stopwatch]::StartNew()
            @(Get-Completion 'Get-MesaPrincipal -Id ').Count | Should -Be 0
            @(Get-Completion 'Get-MesaDeliberation -Id ').Count | Should -Be 0
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 2
            $Error.Count | Should -Be 0
        }
        finally { $server | Connect-Mesa }
    }

    It 'offers nothing when the server is down' {
        Skip-Test -Needs LocalServer
        $gone = Start-MesaLocalServer -Connect
        Stop-MesaLocalServer -Server $gone
        try {
            $Error.Clear()
            @(Get-Completion 'Get-MesaPrincipal -Id ').Count | Should -Be 0
            $Error.Count | Should -Be 0
        }
        finally { $server | Connect-Mesa }
    }

    It 'gives up within about 2 seconds on a server that never answers' {
        # Accepts connections (the OS completes them) but never reads or answers.
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        try {
            Disconnect-Mesa
            $env:MESA_URL = "http://127.0.0.1:$($listener.LocalEndpoint.Port)"
            $Error.Clear()
            $watch = [Diagnostics.Stopwatch]::StartNew()
            @(Get-Completion 'Get-MesaDeliberation -Id ').Count | Should -Be 0
            $first = $watch.Elapsed.TotalSeconds
            $watch.Restart()
            @(Get-Completion 'Get-MesaDeliberation -Id ').Count | Should -Be 0
            $second = $watch.Elapsed.TotalSeconds
            $first | Should -BeGreaterOrEqual 1.5 -Because 'it did wait for the server'
            $first | Should -BeLessThan 4
            $second | Should -BeLessThan 1 -Because 'the empty answer is kept for a while too'
            $Error.Count | Should -Be 0
        }
        finally {
            Remove-Item Env:MESA_URL -ErrorAction SilentlyContinue
            $listener.Stop()
            $server | Connect-Mesa
        }
    }
}
