#requires -Version 7.5
<#
.SYNOPSIS
    Builds, tests, benchmarks and demos Mesa.PowerShell.
.DESCRIPTION
    Tasks run in the order given:
      Build    Release build; lays the module out under out/Mesa and the local server under out/LocalServer.
      Package  Build, then pack out/Mesa into out/packages/Mesa.<version>.nupkg with PSResourceGet
               (Install-PSResource installs it; see README "Install"). Takes a few seconds.
      Test     Build, then every xunit project under tests/, then Package, then the Pester suites (tests/acceptance
               and docs/examples). Ends with one line "Tests: N passed, N failed, N skipped"; exits 1 on any failure.
      Acceptance
               Build and Package, then the Pester suites alone, with the same summary line and exit code as Test.
               With $env:MESA_TEST_URI set (and MESA_TEST_ADMIN_TOKEN, MESA_TEST_PROFILE = v1|v2, default v2) they
               run against that server instead of starting local ones; tests that need setup no protocol route
               offers (the test policies, server processes of their own, installing the package) are skipped with
               the reason. The server may hold other data: the suites use fresh names and keys. (Test's Pester part
               follows MESA_TEST_URI too.)
      Demo     Build, then run the quickstart against a local server with formatted output.
      Bench    Run the BenchmarkDotNet suites in bench/ (pass -BenchArgs for BenchmarkDotNet's own options).
      Clean    Remove out/ and every bin/ and obj/.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 Test
.EXAMPLE
    $env:MESA_TEST_URI = 'http://127.0.0.1:8000'; $env:MESA_TEST_ADMIN_TOKEN = 'dev-token'; dotnet pwsh ./build.ps1 Acceptance
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Package', 'Test', 'Acceptance', 'Clean', 'Demo', 'Bench')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    [string[]] $BenchArgs = @('--filter', '*')
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleOut = Join-Path $Out 'Mesa'
$ServerOut = Join-Path $Out 'LocalServer'
$TestResults = Join-Path $Out 'TestResults'
$PackageOut = Join-Path $Out 'packages'
$ModuleRuntimeIds = 'linux-x64', 'linux-arm64', 'linux-musl-x64', 'linux-musl-arm64', 'osx-x64', 'osx-arm64', 'win-x64', 'win-arm64', 'win-x86'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'

# Runs a native command and stops the build when it fails. A simple function (no [Parameter]) on purpose:
# an advanced one would take arguments such as '-v:q' as its own common parameters.
function Invoke-Native {
    $file, $rest = $args
    & $file @rest
    if ($LASTEXITCODE -ne 0) { throw "'$file $($rest -join ' ')' failed with exit code $LASTEXITCODE." }
}

function Get-ModuleVersion {
    $props = [xml](Get-Content -Raw (Join-Path $Root 'Directory.Build.props'))
    @($props.Project.PropertyGroup | ForEach-Object { $_.ModuleVersion } | Where-Object { $_ })[0]
}

function Get-NuGetPackageRoot {
    if ($env:NUGET_PACKAGES) { return $env:NUGET_PACKAGES }
    $line = & dotnet nuget locals global-packages --list
    ($line -replace '^global-packages:\s*', '').Trim()
}

# Build runs once per build.ps1 invocation, however many tasks ask for it ('Build Package Test').
$script:Built = $false

function Invoke-BuildTask {
    if ($script:Built) { return }
    Write-Host "==> Build ($Configuration)" -ForegroundColor Cyan
    Invoke-Native dotnet build (Join-Path $Root 'Mesa.PowerShell.sln') -c $Configuration --nologo '-v:q' '-clp:ErrorsOnly'
    Publish-LocalServer
    Publish-MesaModule
    $script:Built = $true
}

# Packing takes a few seconds (measured: ~2 s for the 15 MB package), so Test runs it and the install test uses it.
function Invoke-PackageTask {
    Invoke-BuildTask
    Write-Host '==> Package' -ForegroundColor Cyan
    $package = & (Join-Path $Root 'build/New-MesaPackage.ps1') -ModulePath $ModuleOut -OutputPath $PackageOut
    Write-Host "Package: $($package.FullName)"
}

function Publish-LocalServer {
    $project = Join-Path $Root 'src/Mesa.LocalServer/Mesa.LocalServer.csproj'
    if (Test-Path $ServerOut) { Remove-Item -Recurse -Force $ServerOut }
    Invoke-Native dotnet publish $project -c $Configuration -o $ServerOut --nologo '-v:q' '-clp:ErrorsOnly'
}

function Publish-MesaModule {
    $staging = Join-Path $Out 'publish/Mesa.PowerShell'
    foreach ($dir in $staging, $ModuleOut) { if (Test-Path $dir) { Remove-Item -Recurse -Force $dir } }
    Invoke-Native dotnet publish (Join-Path $Root 'src/Mesa.PowerShell/Mesa.PowerShell.csproj') -c $Configuration -o $staging --nologo '-v:q' '-clp:ErrorsOnly'

    # Our own assemblies sit in the module root (default load context: users catch these types);
    # third-party ones and libsodium go under dependencies/, loaded by the module's private load context.
    $deps = New-Item -ItemType Directory -Force (Join-Path $ModuleOut 'dependencies')
    foreach ($name in 'Mesa.PowerShell', 'Mesa.Client') {
        foreach ($ext in '.dll', '.pdb', '.xml') {
            $file = Join-Path $staging "$name$ext"
            if (Test-Path $file) { Copy-Item $file $ModuleOut }
        }
    }
    Get-ChildItem $staging -Filter *.dll | Where-Object { $_.BaseName -notin 'Mesa.PowerShell', 'Mesa.Client' } |
        Copy-Item -Destination $deps
    Copy-DesktopRuntime -From (Join-Path $staging 'runtimes') -To (Join-Path $deps 'runtimes')

    $version = Get-ModuleVersion
    (Get-Content -Raw (Join-Path $Root 'Mesa.psd1')) -replace "ModuleVersion\s*=\s*'[^']*'", "ModuleVersion = '$version'" |
        Set-Content -NoNewline (Join-Path $ModuleOut 'Mesa.psd1')
    Copy-Item (Join-Path $Root 'Mesa.format.ps1xml') $ModuleOut
    Copy-Item (Join-Path $Root 'Mesa.types.ps1xml') $ModuleOut
    Copy-Item (Join-Path $Root 'LICENSE') $ModuleOut

    $helpScript = Join-Path $Root 'build/New-MesaHelp.ps1'
    if (Test-Path $helpScript) { & $helpScript -SourcePath (Join-Path $Root 'docs/help') -OutputPath (Join-Path $ModuleOut 'en-US') }
    # Conceptual help (Get-Help about_Mesa): plain text, copied as written.
    Get-ChildItem (Join-Path $Root 'docs/help') -Filter 'about_*.help.txt' | Copy-Item -Destination (Join-Path $ModuleOut 'en-US')

    # The bundled local server, for Start-MesaLocalServer; its native libraries pruned like the module's.
    if (Test-Path $ServerOut) {
        $bundled = New-Item -ItemType Directory -Force (Join-Path $ModuleOut 'LocalServer')
        # Without the apphost (Mesa.LocalServer, for this build machine's platform only): the module runs the server
        # through 'dotnet Mesa.LocalServer.dll' on every platform, and a package would drop its executable bit anyway.
        $apphost = 'Mesa.LocalServer', 'Mesa.LocalServer.exe'
        Get-ChildItem $ServerOut | Where-Object { $_.Name -ne 'runtimes' -and $_.Name -notin $apphost } |
            Copy-Item -Recurse -Destination $bundled
        Copy-DesktopRuntime -From (Join-Path $ServerOut 'runtimes') -To (Join-Path $bundled 'runtimes')
    }

    # The licences of every package shipped in the folder, from what the publish outputs actually carry.
    $depsFiles = @(Join-Path $staging 'Mesa.PowerShell.deps.json'; Join-Path $ServerOut 'Mesa.LocalServer.deps.json') | Where-Object { Test-Path $_ }
    $null = & (Join-Path $Root 'build/New-ThirdPartyNotices.ps1') -DepsJson $depsFiles -PackageRoot (Get-NuGetPackageRoot) -OutputPath (Join-Path $ModuleOut 'THIRD-PARTY-NOTICES.txt')
}

# Copies runtimes/<rid>/ folders for the desktop platforms PowerShell 7 runs on only: the packages also ship
# mobile, browser and exotic-Linux natives, which would make the module several times larger for nothing.
function Copy-DesktopRuntime {
    param([string] $From, [string] $To)
    foreach ($rid in $ModuleRuntimeIds) {
        $native = Join-Path $From $rid
        if (Test-Path $native) {
            $target = New-Item -ItemType Directory -Force (Join-Path $To $rid)
            Copy-Item -Recurse (Join-Path $native '*') $target
        }
    }
}

function Read-TrxCounts {
    param([string] $Path)
    $xml = [xml](Get-Content -Raw $Path)
    $c = $xml.TestRun.ResultSummary.Counters
    [pscustomobject]@{
        Passed  = [int]$c.passed
        Failed  = [int]$c.failed + [int]$c.error + [int]$c.timeout + [int]$c.aborted
        Skipped = [int]$c.notExecuted
    }
}

function Invoke-TestTask {
    Invoke-BuildTask
    if (Test-Path $TestResults) { Remove-Item -Recurse -Force $TestResults }
    $null = New-Item -ItemType Directory -Force $TestResults
    $passed = 0; $failed = 0; $skipped = 0; $broken = @()

    foreach ($project in Get-ChildItem (Join-Path $Root 'tests') -Filter *.csproj -Recurse | Sort-Object FullName) {
        Write-Host "==> xunit: $($project.BaseName)" -ForegroundColor Cyan
        $trx = "$($project.BaseName).trx"
        & dotnet test $project.FullName -c $Configuration --no-build --nologo `
            --logger "trx;LogFileName=$trx" --logger 'console;verbosity=minimal' --results-directory $TestResults
        $code = $LASTEXITCODE
        $trxPath = Join-Path $TestResults $trx
        if (Test-Path $trxPath) {
            $counts = Read-TrxCounts $trxPath
            $passed += $counts.Passed; $failed += $counts.Failed; $skipped += $counts.Skipped
            if ($code -ne 0 -and $counts.Failed -eq 0) { $broken += $project.BaseName }
        }
        elseif ($code -ne 0) { $broken += $project.BaseName }
    }

    $pester = Invoke-PesterTask
    $passed += $pester.Passed; $failed += $pester.Failed; $skipped += $pester.Skipped; $broken += $pester.Broken

    if ($broken.Count -gt 0) { Write-Host "Runners that failed without reporting a failed test: $($broken -join ', ')" -ForegroundColor Red }
    Write-Host "Tests: $passed passed, $failed failed, $skipped skipped"
    if ($failed -gt 0 -or $broken.Count -gt 0) { exit 1 }
}

# The Pester suites (tests/acceptance and docs/examples), after Package (the install test installs that package).
# Returns the counts and the runner when it failed without reporting a failed test. With MESA_TEST_URI set the
# suites run against that server (see AcceptanceHelpers.ps1, Start-TestServer).
function Invoke-PesterTask {
    # What Build and Package print goes to the host: in the pipeline it would become part of this function's result.
    Invoke-PackageTask | Out-Host
    $null = New-Item -ItemType Directory -Force $TestResults
    $counts = [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 0; Broken = @() }
    $pesterFiles = @(
        Get-ChildItem (Join-Path $Root 'tests/acceptance') -Filter *.Tests.ps1 -ErrorAction SilentlyContinue
        Get-ChildItem (Join-Path $Root 'docs/examples') -Filter *.Tests.ps1 -ErrorAction SilentlyContinue
    )
    if ($pesterFiles.Count -eq 0) { return $counts }
    $target = if ($env:MESA_TEST_URI) { "against $env:MESA_TEST_URI ($(if ($env:MESA_TEST_PROFILE) { $env:MESA_TEST_PROFILE } else { 'v2' }))" } else { 'against local servers' }
    Write-Host "==> Pester: $($pesterFiles.Count) file(s) $target" -ForegroundColor Cyan
    $summary = Join-Path $TestResults 'pester-summary.json'
    if (Test-Path $summary) { Remove-Item $summary }
    $pester = Join-Path (Get-NuGetPackageRoot) 'pester/6.2.0/tools/Pester.psd1'
    # A child pwsh keeps the module, its load context and any servers out of this build process. Its output goes to
    # the host: in the pipeline it would become part of this function's result.
    & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'build/Invoke-Acceptance.ps1') `
        -PesterPath $pester -Path $pesterFiles.FullName -SummaryPath $summary -ResultPath (Join-Path $TestResults 'pester.xml') | Out-Host
    $code = $LASTEXITCODE
    if (Test-Path $summary) {
        $s = Get-Content -Raw $summary | ConvertFrom-Json
        $counts.Passed = $s.Passed; $counts.Failed = $s.Failed; $counts.Skipped = $s.Skipped
        if ($code -ne 0 -and $s.Failed -eq 0) { $counts.Broken = @('Pester') }
    }
    else { $counts.Broken = @('Pester') }
    $counts
}

# The Pester suites alone, with the same summary line and exit code as Test.
function Invoke-AcceptanceTask {
    $pester = Invoke-PesterTask
    if ($pester.Broken.Count -gt 0) { Write-Host 'Runners that failed without reporting a failed test: Pester' -ForegroundColor Red }
    Write-Host "Tests: $($pester.Passed) passed, $($pester.Failed) failed, $($pester.Skipped) skipped"
    if ($pester.Failed -gt 0 -or $pester.Broken.Count -gt 0) { exit 1 }
}

function Invoke-CleanTask {
    Write-Host '==> Clean' -ForegroundColor Cyan
    if (Test-Path $Out) { Remove-Item -Recurse -Force $Out }
    Get-ChildItem $Root -Directory -Recurse -Include bin, obj -ErrorAction SilentlyContinue |
        Where-Object { $_.FullName -notmatch '[\\/]\.git[\\/]' } | Remove-Item -Recurse -Force
}

function Invoke-DemoTask {
    Invoke-BuildTask
    & dotnet pwsh -NoProfile -File (Join-Path $Root 'build/Demo.ps1') -ModulePath (Join-Path $ModuleOut 'Mesa.psd1')
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

function Invoke-BenchTask {
    Invoke-Native dotnet run -c Release --project (Join-Path $Root 'bench/Mesa.Benchmarks/Mesa.Benchmarks.csproj') -- @BenchArgs
}

Push-Location $Root
try {
    # Pester and other build-time tools come from NuGet (no PowerShell Gallery here).
    Invoke-Native dotnet restore (Join-Path $Root 'build/tools/Tools.csproj') --nologo '-v:q'
    foreach ($t in $Task) {
        switch ($t) {
            'Build' { Invoke-BuildTask }
            'Package' { Invoke-PackageTask }
            'Test' { Invoke-TestTask }
            'Acceptance' { Invoke-AcceptanceTask }
            'Clean' { Invoke-CleanTask }
            'Demo' { Invoke-DemoTask }
            'Bench' { Invoke-BenchTask }
        }
    }
}
finally {
    Pop-Location
}
