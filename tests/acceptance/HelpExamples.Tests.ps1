#requires -Version 7.5
# Every example in the help of every cmdlet the built module exports runs as written, in a fresh session that has
# only imported the module: no default connection, no MESA_* variables, no variables from anywhere else (strict
# mode 1), an empty working folder, no host to answer a prompt. Any error record, terminating or not, fails the
# example. The about_Mesa topic's first run is checked the same way. One child pwsh per cmdlet
# (Invoke-HelpExample.ps1), each example in a runspace of its own; the servers an example starts are stopped after
# it. A few children run at once (started ahead, in order), to keep the file within about two minutes.
# Needs `build.ps1 Build` first (out/Mesa).

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'HelpExampleSource.ps1')
    $topics = @(Get-MesaHelpExample -ModulePath (Join-Path $PSScriptRoot '../../out/Mesa/Mesa.psd1'))
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'AcceptanceHelpers.ps1')
    # The examples start local servers of their own.
    if (Get-SkipReason -Needs LocalServer) { return }
    . (Join-Path $PSScriptRoot 'HelpExampleSource.ps1')
    $manifest = [IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../out/Mesa/Mesa.psd1'))
    $runner = Join-Path $PSScriptRoot 'Invoke-HelpExample.ps1'
    $maxParallel = [Math]::Max(1, [Math]::Min(3, [Environment]::ProcessorCount))

    # Not TestDrive: Pester clears what a Describe added to it, and children started ahead write while another
    # Describe runs.
    $script:work = New-Item -ItemType Directory -Path (Join-Path ([IO.Path]::GetTempPath()) "mesa-help-examples-$([guid]::NewGuid().ToString('N'))")
    $script:jobs = [ordered]@{}
    foreach ($topic in Get-MesaHelpExample -ModulePath $manifest) {
        $examplePath = Join-Path $script:work "$($topic.Name).examples.json"
        ConvertTo-Json -InputObject @($topic.Examples | ForEach-Object { [pscustomobject]$_ }) -Depth 3 |
            Set-Content -LiteralPath $examplePath
        $script:jobs[$topic.Name] = [pscustomobject]@{
            Name = $topic.Name; ExamplePath = $examplePath; ResultPath = Join-Path $script:work "$($topic.Name).results.json"
            Process = $null; Stdout = $null; Stderr = $null
        }
    }

    function Start-ExampleJob($Job) {
        $dll = Join-Path $PSHOME 'pwsh.dll'
        $psi = if (Test-Path $dll) { [Diagnostics.ProcessStartInfo]::new('dotnet') } else { [Diagnostics.ProcessStartInfo]::new((Join-Path $PSHOME 'pwsh')) }
        if (Test-Path $dll) { $psi.ArgumentList.Add($dll) }
        foreach ($a in '-NoProfile', '-NonInteractive', '-File', $runner, '-ModulePath', $manifest, '-ExamplePath', $Job.ExamplePath, '-ResultPath', $Job.ResultPath) {
            $psi.ArgumentList.Add($a)
        }
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $psi.UseShellExecute = $false
        $psi.WorkingDirectory = $script:work
        foreach ($variable in 'MESA_URL', 'MESA_ADMIN_TOKEN', 'MESA_PROFILE') { $null = $psi.Environment.Remove($variable) }
        # Examples may Import-Module Mesa by name (ForEach-Object -Parallel runspaces do): find the built one first.
        $psi.Environment['PSModulePath'] = (Split-Path (Split-Path $manifest)) + [IO.Path]::PathSeparator + $env:PSModulePath
        $Job.Process = [Diagnostics.Process]::Start($psi)
        $Job.Stdout = $Job.Process.StandardOutput.ReadToEndAsync()
        $Job.Stderr = $Job.Process.StandardError.ReadToEndAsync()
    }

    # Keeps up to $maxParallel children running, in the order of the topics.
    function Start-PendingJobs {
        $running = @($script:jobs.Values | Where-Object { $_.Process -and -not $_.Process.HasExited }).Count
        foreach ($job in $script:jobs.Values) {
            if ($running -ge $maxParallel) { break }
            if (-not $job.Process) { Start-ExampleJob $job; $running++ }
        }
    }

    # Waits for one topic's child and returns its results by example index.
    function Receive-Example([string] $Name) {
        $job = $script:jobs[$Name]
        $deadline = [DateTime]::UtcNow.AddSeconds(300)
        while ($true) {
            Start-PendingJobs
            if ($job.Process -and $job.Process.WaitForExit(200)) { break }
            if ([DateTime]::UtcNow -gt $deadline) {
                if ($job.Process) { $job.Process.Kill($true) }
                throw "The examples of $Name did not finish in 300 s."
            }
        }
        Start-PendingJobs
        if (-not (Test-Path $job.ResultPath)) {
            throw "The runner wrote no results for $Name (exit $($job.Process.ExitCode)): $($job.Stdout.Result) $($job.Stderr.Result)"
        }
        $byIndex = @{}
        foreach ($r in @(Get-Content -Raw -LiteralPath $job.ResultPath | ConvertFrom-Json)) { $byIndex[[int]$r.Index] = $r }
        $byIndex
    }
}

AfterAll {
    if (-not $script:work) { return }
    foreach ($job in $script:jobs.Values) { if ($job.Process -and -not $job.Process.HasExited) { $job.Process.Kill($true) } }
    Remove-Item -LiteralPath $script:work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe '<Name> help examples' -ForEach $topics {
    BeforeEach { Skip-Test -Needs LocalServer }

    BeforeAll {
        if (Get-SkipReason -Needs LocalServer) { return }
        $results = Receive-Example $Name
    }

    It 'has examples' {
        $Examples.Count | Should -BeGreaterOrEqual 1
    }

    It '<Title> runs as written in a fresh session' -ForEach $Examples {
        $result = $results[$Index]
        $result | Should -Not -BeNullOrEmpty
        $because = "the example must run as written in a fresh pwsh with only the module imported:`n$Code`n--- output ---`n$($result.Output)"
        $result.Errors | Should -BeNullOrEmpty -Because $because
        $result.ServersLeft | Should -BeNullOrEmpty -Because 'every server the example started is stopped afterwards'
        if ($Name -eq 'about_Mesa') {
            $Code | Should -Match 'Start-MesaLocalServer'
            $result.Output | Should -Match 'active' -Because 'the first run ends with a commitment'
        }
    }
}

Describe 'The example runner itself' {
    BeforeEach { Skip-Test -Needs LocalServer }

    # Examples that must fail, and one that must pass, to show the checks above can fail.
    BeforeAll {
        if (Get-SkipReason -Needs LocalServer) { return }
        $cases = @(
            @{ Index = 1; Title = 'undefined variable'; Code = 'Get-MesaPrincipal -Id $agent.Id' }
            @{ Index = 2; Title = 'prompt'; Code = '$token = Read-Host -AsSecureString -Prompt token' }
            @{ Index = 3; Title = 'non-terminating error'; Code = 'Get-MesaPrincipal; "still here"' }
            @{ Index = 4; Title = 'passes, server stopped after'; Code = '$global:s = Start-MesaLocalServer; $s.Uri' }
            @{ Index = 5; Title = 'no connection left over'; Code = 'if (Get-MesaConnection) { throw "a connection leaked in" }' }
        )
        $script:jobs['runner-self-test'] = [pscustomobject]@{
            Name = 'runner-self-test'; ExamplePath = Join-Path $script:work 'self.examples.json'; ResultPath = Join-Path $script:work 'self.results.json'
            Process = $null; Stdout = $null; Stderr = $null
        }
        ConvertTo-Json -InputObject @($cases | ForEach-Object { [pscustomobject]$_ }) | Set-Content -LiteralPath $script:jobs['runner-self-test'].ExamplePath
        $self = Receive-Example 'runner-self-test'
    }

    It 'fails an example that uses a variable it never defines' {
        $self[1].Errors -join "`n" | Should -BeLike '*agent*'
    }

    It 'fails an example that prompts' {
        $self[2].Errors | Should -Not -BeNullOrEmpty
    }

    It 'fails an example that writes a non-terminating error, even when it goes on' {
        $self[3].Errors -join "`n" | Should -BeLike '*NoConnection*'
        $self[3].Output | Should -BeLike '*still here*'
    }

    It 'passes a clean example and stops the server it left running' {
        $self[4].Errors | Should -BeNullOrEmpty
        $self[4].Output | Should -BeLike '*http://127.0.0.1:*'
        $self[4].ServersLeft | Should -BeNullOrEmpty
        $uri = [uri]($self[4].Output.Trim())
        $probe = [Net.Sockets.TcpClient]::new()
        try { { $probe.Connect('127.0.0.1', $uri.Port) } | Should -Throw } finally { $probe.Dispose() }
    }

    It 'gives each example a session without the previous one''s connection' {
        $self[5].Errors | Should -BeNullOrEmpty
    }
}
