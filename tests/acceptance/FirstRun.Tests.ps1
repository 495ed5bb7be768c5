#requires -Version 7.5
# Issue 10 item 5, the first run: Connect-Mesa checks an admin token before anything is registered with it, a key
# registered twice names its principal and how to get it, Get-MesaPrincipal filters by key and org, and the README's
# quickstart runs as written in a fresh pwsh.

BeforeAll {
    . (Join-Path $PSScriptRoot 'AcceptanceHelpers.ps1')
    Import-MesaUnderTest
    if (Get-SkipReason -Needs v2) { return }   # every test here needs a v2 server
    $script:token = New-TestAdminToken
    $script:server = Start-TestServer -AdminToken $token
    $script:good = $server | Connect-Mesa -PassThru
    $script:wrong = 'wrong-' + [guid]::NewGuid().ToString('N')
    $script:wrongSecure = ConvertTo-SecureString $wrong -AsPlainText -Force
}

AfterAll {
    Remove-Item Env:MESA_ADMIN_TOKEN -ErrorAction SilentlyContinue
    Get-MesaLocalServer -ErrorAction SilentlyContinue | Stop-MesaLocalServer -ErrorAction SilentlyContinue
}

Describe 'Connect-Mesa checks the admin token' {
    BeforeEach { Skip-Test -Needs v2 }

    It 'refuses a wrong token with AdminTokenRejected, keeps the previous default and registers nothing' {
        $server | Connect-Mesa
        $before = @(Get-MesaPrincipal).Count
        $err = Get-ErrorRecord { Connect-Mesa -Uri $server.Uri -AdminToken $wrongSecure }
        $err.FullyQualifiedErrorId | Should -Be 'AdminTokenRejected,Mesa.PowerShell.Commands.ConnectMesaCommand'
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.Exception.Message | Should -Match 'admin_forbidden'
        $err.Exception.Message | Should -Match 'refused the admin token given to -AdminToken'
        $err.Exception.Message | Should -Match 'Start-MesaLocalServer -Connect'
        $err.Exception.InnerException | Should -BeOfType ([Mesa.Client.MesaForbiddenException])
        $text = ($err | Format-List * -Force | Out-String) + $err.Exception.ToString() + $err.ErrorDetails.RecommendedAction
        $text | Should -Not -Match $wrong
        $text | Should -Not -Match $token.Plain
        "$((Get-MesaConnection).Uri)" | Should -Be "$($server.Uri)"
        (Get-MesaConnection).HasAdminToken | Should -BeTrue
        @(Get-MesaPrincipal).Count | Should -Be $before
    }

    It 'stops the README pipeline before it registers anything when the token is wrong' {
        Disconnect-Mesa
        $before = @(Get-MesaPrincipal -Connection $good).Count
        { Connect-Mesa -Uri $server.Uri -AdminToken $wrongSecure -ErrorAction Stop } | Should -Throw -ErrorId 'AdminTokenRejected,*'
        $key = New-MesaKeypair
        $principal = $null
        { $principal = $key | New-MesaPrincipal -Org acme | Set-MesaCapability -Capability offer -ErrorAction Stop } |
            Should -Throw -ErrorId 'NoConnection,*'
        $principal | Should -BeNullOrEmpty
        @(Get-MesaPrincipal -Connection $good).Count | Should -Be $before
        $server | Connect-Mesa
    }

    It 'names $env:MESA_ADMIN_TOKEN when the wrong token came from there' {
        try {
            $env:MESA_ADMIN_TOKEN = $wrong
            $err = Get-ErrorRecord { Connect-Mesa -Uri $server.Uri }
            $err.FullyQualifiedErrorId | Should -Be 'AdminTokenRejected,Mesa.PowerShell.Commands.ConnectMesaCommand'
            $err.Exception.Message | Should -Match ([regex]::Escape('from $env:MESA_ADMIN_TOKEN'))
            $err.Exception.Message | Should -Not -Match $wrong
        }
        finally { Remove-Item Env:MESA_ADMIN_TOKEN -ErrorAction SilentlyContinue }
    }

    It 'accepts the right token without a warning, and the probe changes nothing' {
        $p = New-TestPrincipal -Org 'probe-bystander' -Capability offer, counter
        $c = Connect-Mesa -Uri $server.Uri -AdminToken $token.Secure -PassThru -WarningVariable warned -Verbose 4>&1 |
            Where-Object { $_ -is [Mesa.PowerShell.MesaConnection] }
        $c.HasAdminToken | Should -BeTrue
        @($warned).Count | Should -Be 0
        @((Get-MesaPrincipal -Id $p.Id).Capabilities) | Should -Be @('offer', 'counter')
        (Get-MesaPrincipal).Id | Should -Not -Contain 'mesa-admin-token-check'
    }

    It 'warns, and still connects, when the server has no admin token to check against (admin_disabled)' {
        Skip-Test -Needs LocalServer
        $open = Start-MesaLocalServer -NoAdminToken
        try {
            $c = Connect-Mesa -Uri $open.Uri -AdminToken $token.Secure -PassThru -WarningVariable warned -WarningAction SilentlyContinue
            $c.HasAdminToken | Should -BeTrue
            @($warned).Count | Should -Be 1
            "$($warned[0])" | Should -Match 'admin_disabled'
            "$($warned[0])" | Should -Match 'cannot check'
            "$((Get-MesaConnection).Uri)" | Should -Be "$($open.Uri)"
        }
        finally {
            Stop-MesaLocalServer -Server $open
            $server | Connect-Mesa
        }
    }

    It 'warns, and still connects, when the answer to the check says nothing about the token' {
        # A stand-in for a proxy in front of a server: /health is fine, every other route is a 502 HTML page.
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $job = Start-ThreadJob -ArgumentList $listener -ScriptBlock {
            param($l)
            while ($true) {
                $client = $l.AcceptTcpClient()
                try {
                    $stream = $client.GetStream()
                    $reader = [System.IO.StreamReader]::new($stream, [System.Text.Encoding]::ASCII, $false, 1024, $true)
                    $requestLine = $reader.ReadLine()
                    $length = 0
                    while ($header = $reader.ReadLine()) { if ($header -match '^Content-Length:\s*(\d+)') { $length = [int]$Matches[1] } }
                    if ($length -gt 0) { $null = $reader.ReadBlock([char[]]::new($length), 0, $length) }
                    $status, $type, $body = if ($requestLine -match '^GET /health ') { '200 OK', 'application/json', '{"status":"ok"}' }
                                            else { '502 Bad Gateway', 'text/html', '<html><body>bad gateway</body></html>' }
                    $bytes = [System.Text.Encoding]::ASCII.GetBytes("HTTP/1.1 $status`r`nContent-Type: $type`r`nContent-Length: $($body.Length)`r`nConnection: close`r`n`r`n$body")
                    $stream.Write($bytes, 0, $bytes.Length)
                    $stream.Flush()
                }
                finally { $client.Dispose() }
            }
        }
        try {
            $c = Connect-Mesa -Uri "http://127.0.0.1:$($listener.LocalEndpoint.Port)" -AdminToken $token.Secure -PassThru -WarningVariable warned -WarningAction SilentlyContinue
            $c.HasAdminToken | Should -BeTrue
            @($warned).Count | Should -Be 1
            "$($warned[0])" | Should -Match 'Could not check the admin token'
            "$($warned[0])" | Should -Match '502'
            "$($warned[0])" | Should -Not -Match $token.Plain
        }
        finally {
            $listener.Stop()
            $job | Stop-Job -PassThru | Remove-Job -Force
            $server | Connect-Mesa
        }
    }

    It 'checks no token when none is given' {
        $c = Connect-Mesa -Uri $server.Uri -PassThru -Verbose 4>&1
        ($c | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" |
            Should -Not -Match 'capabilities'
        $server | Connect-Mesa
    }
}

Describe 'a key registered twice' {
    BeforeEach { Skip-Test -Needs v2 }

    BeforeAll {
        if (Get-SkipReason -Needs v2) { return }
        $script:key = New-MesaKeypair
        $script:first = $key | New-MesaPrincipal -Org 'twice-acme' | Set-MesaCapability -Capability offer
    }

    It 'is a Conflict that names the principal holding the key and how to get it' {
        $err = Get-ErrorRecord { $key | New-MesaPrincipal -Org 'twice-again' }
        $err.FullyQualifiedErrorId | Should -Be 'Conflict,Mesa.PowerShell.Commands.NewMesaPrincipalCommand'
        $err.Exception | Should -BeOfType ([Mesa.Client.MesaConflictException])
        $message = "$err"
        $message | Should -Match $first.Id
        $message | Should -Match "org 'twice-acme'"
        $message | Should -Match 'capabilities: offer'
        $message | Should -Match ([regex]::Escape("Get-MesaPrincipal -PublicKey $($key.PublicKeyHex)"))
        $err.ErrorDetails.RecommendedAction | Should -Match 'Get-MesaPrincipal -PublicKey'
    }

    It 'names the holder for the key in another letter case too' {
        $err = Get-ErrorRecord { New-MesaPrincipal -Org 'upper' -PublicKey $key.PublicKeyHex.ToUpperInvariant() }
        "$err" | Should -Match $first.Id
    }

    It 'the lookup the error names gets the principal' {
        $err = Get-ErrorRecord { $key | New-MesaPrincipal -Org 'twice-again' }
        $lookup = [regex]::Match("$err", 'Get-MesaPrincipal -PublicKey [0-9a-f]{64}').Value
        $found = Invoke-Expression $lookup
        $found.Id | Should -Be $first.Id
    }
}

Describe 'Get-MesaPrincipal filters' {
    BeforeEach { Skip-Test -Needs v2 }

    BeforeAll {
        if (Get-SkipReason -Needs v2) { return }
        # Org names of this run only: the server may hold others' (MESA_TEST_URI), from earlier runs too.
        $script:tag = [Guid]::NewGuid().ToString('n').Substring(0, 10)
        $script:k1 = New-MesaKeypair
        $script:k2 = New-MesaKeypair
        $script:p1 = $k1 | New-MesaPrincipal -Org "Filter-$tag-Globex"
        $script:p2 = $k2 | New-MesaPrincipal -Org "filter-$tag-initech"
    }

    It '-PublicKey finds the one principal of a key, in any case' {
        @(Get-MesaPrincipal -PublicKey $k1.PublicKeyHex).Id | Should -Be @($p1.Id)
        @(Get-MesaPrincipal -PublicKey $k2.PublicKeyHex.ToUpperInvariant()).Id | Should -Be @($p2.Id)
    }

    It 'a piped keypair finds its principal' {
        ($k2 | Get-MesaPrincipal).Id | Should -Be $p2.Id
        @($k1, $k2 | Get-MesaPrincipal).Id | Should -Be @($p1.Id, $p2.Id)
    }

    It '-Org matches the name in any case, with wildcards' {
        @(Get-MesaPrincipal -Org "filter-$tag-globex").Id | Should -Be @($p1.Id)
        @(Get-MesaPrincipal -Org "filter-$tag-*").Id | Should -Be @($p1.Id, $p2.Id)
        @(Get-MesaPrincipal -Org "filter-$tag-glob").Count | Should -Be 0 -Because 'without wildcards the whole name must match'
        @(Get-MesaPrincipal -Org "filter-$tag-*" -PublicKey $k2.PublicKeyHex).Id | Should -Be @($p2.Id)
    }

    It '-Org finds a name that holds wildcard characters itself, and a broken pattern is no error' {
        $p3 = New-MesaKeypair | New-MesaPrincipal -Org "filter $tag [EU]"
        @(Get-MesaPrincipal -Org "filter $tag [eu]").Id | Should -Be @($p3.Id)
        @(Get-MesaPrincipal -Org "filter $tag [EU" -ErrorVariable errs).Count | Should -Be 0
        @($errs).Count | Should -Be 0
    }

    It 'an unknown key gives nothing and no error' {
        $none = Get-MesaPrincipal -PublicKey (New-MesaKeypair).PublicKeyHex -ErrorVariable errs
        $none | Should -BeNullOrEmpty
        @($errs).Count | Should -Be 0
    }

    It 'ids still bind from strings and principals' {
        ($p1.Id | Get-MesaPrincipal).Org | Should -Be "Filter-$tag-Globex"
        @($p1, $p2 | Get-MesaPrincipal).Id | Should -Be @($p1.Id, $p2.Id)
    }
}

Describe 'the README quickstart' {
    BeforeEach { Skip-Test -Needs v2 }

    BeforeAll {
        if (Get-SkipReason -Needs v2) { return }
        $readme = Get-Content -Raw (Join-Path $PSScriptRoot '../../README.md')
        $match = [regex]::Match($readme, '(?s)<!-- quickstart:begin -->\s*```powershell\r?\n(.*?)```\s*<!-- quickstart:end -->')
        $script:quickstart = $match.Groups[1].Value
    }

    It 'is marked in README.md and starts from nothing' {
        $quickstart | Should -Not -BeNullOrEmpty
        $quickstart | Should -Match 'Import-Module'
        $quickstart | Should -Match 'Start-MesaLocalServer -Connect'
        $quickstart | Should -Match '\$key \| New-MesaPrincipal -Org acme \| Set-MesaCapability -Capability offer'
    }

    It 'runs as written in a fresh pwsh at the repository root' {
        $root = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../..'))
        $run = Invoke-MesaChildPwsh -NoImport -WorkingDirectory $root -Script (
            "`$ErrorActionPreference = 'Stop'`n" + $quickstart + "`n'principal:' + `$principal.Id; 'caps:' + (`$principal.Capabilities -join ',')")
        $run.Errors | Should -BeNullOrEmpty
        $run.ExitCode | Should -Be 0 -Because $run.Output
        $run.Output | Should -Match 'principal:[0-9a-f]{32}'
        $run.Output | Should -Match 'caps:offer'
        # As a script (a paste), all output goes through one Out-Default: objects of a second type after a table fall
        # back to a list. The listed commitments must still come out as their table, with the stored offer.
        $text = (@($run.Output) -join "`n") -replace "`e\[[0-9;]*m", ''
        $text | Should -Match '(?m)^Id\s+Type\s+Status\s+CreatedAt\s*$' -Because $text
        $text | Should -Match '(?m)^[0-9a-f]{32} offer\s+active\s'
        $text | Should -Not -Match '(?m)^Payload\s+:' -Because 'no commitment falls back to a list'
    }
}
