#requires -Version 7.5
# The module installed like any module: the package that `build.ps1 Package` makes (out/packages/Mesa.<version>.nupkg)
# is saved with PSResourceGet into a temporary module path, and a fresh child pwsh that only has that path prepended
# to PSModulePath imports Mesa by name and runs the quickstart against a local server started from the installed
# copy, with ForEach-Object -Parallel runspaces finding the module by name too. On Unix a second case goes through
# Install-PSResource -Scope CurrentUser under a private HOME, so the user's own module folder and repository list
# are never touched. Needs `build.ps1 Build` (out/Mesa); builds the package itself when it is missing
# or older than the module layout.

BeforeAll {
    . (Join-Path $PSScriptRoot 'AcceptanceHelpers.ps1')
    # Installing the package and starting a local server from the installed copy.
    if (Get-SkipReason -Needs LocalServer) { return }
    $root = [IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../..'))
    $moduleOut = Join-Path $root 'out/Mesa'
    if (-not (Test-Path (Join-Path $moduleOut 'Mesa.psd1'))) {
        throw "The module is not built: $moduleOut is missing. Run 'dotnet pwsh ./build.ps1 Build' first."
    }
    $version = @(([xml](Get-Content -Raw (Join-Path $root 'Directory.Build.props'))).Project.PropertyGroup |
            ForEach-Object { $_.ModuleVersion } | Where-Object { $_ })[0]
    $package = Join-Path $root "out/packages/Mesa.$version.nupkg"
    $newest = (Get-ChildItem $moduleOut -Recurse -File | Measure-Object LastWriteTimeUtc -Maximum).Maximum
    $repositoriesBefore = @(Get-PSResourceRepository | ForEach-Object { "$($_.Name)=$($_.Uri)" } | Sort-Object)
    if (-not (Test-Path $package) -or (Get-Item $package).LastWriteTimeUtc -lt $newest) {
        $null = & (Join-Path $root 'build/New-MesaPackage.ps1') -ModulePath $moduleOut -OutputPath (Split-Path $package)
    }

    # The module path a user would have after Save-PSResource: <path>/Mesa/<version>/.
    $modules = Join-Path $TestDrive 'modules'
    $null = New-Item -ItemType Directory -Path $modules
    $repository = "MesaInstallTest-$([guid]::NewGuid().ToString('N'))"
    Register-PSResourceRepository -Name $repository -Uri (Split-Path $package) -Trusted
    try {
        Save-PSResource -Name Mesa -Version $version -Repository $repository -Path $modules -TrustRepository -SkipDependencyCheck
    }
    finally { Unregister-PSResourceRepository -Name $repository }
    $installed = Join-Path $modules "Mesa/$version"

    # Starts a child pwsh on a script file with a controlled environment; returns its exit code and output.
    function Invoke-ChildPwsh {
        param([string] $Script, [string[]] $Arguments = @(), [hashtable] $Environment = @{})
        $dll = Join-Path $PSHOME 'pwsh.dll'
        $psi = if (Test-Path $dll) { [Diagnostics.ProcessStartInfo]::new('dotnet') } else { [Diagnostics.ProcessStartInfo]::new((Join-Path $PSHOME 'pwsh')) }
        if (Test-Path $dll) { $psi.ArgumentList.Add($dll) }
        foreach ($a in @('-NoProfile', '-NonInteractive', '-File', $Script) + $Arguments) { $psi.ArgumentList.Add($a) }
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $psi.UseShellExecute = $false
        $psi.WorkingDirectory = $TestDrive
        # No connection may come from the developer's environment.
        foreach ($name in 'MESA_URL', 'MESA_ADMIN_TOKEN', 'MESA_PROFILE') { $null = $psi.Environment.Remove($name) }
        foreach ($name in $Environment.Keys) {
            if ($null -eq $Environment[$name]) { $null = $psi.Environment.Remove($name) } else { $psi.Environment[$name] = $Environment[$name] }
        }
        $process = [Diagnostics.Process]::Start($psi)
        $stderr = $process.StandardError.ReadToEndAsync()
        $stdout = $process.StandardOutput.ReadToEnd()
        if (-not $process.WaitForExit(180000)) { $process.Kill($true); throw "The child pwsh did not finish in 180 s: $stdout" }
        [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $stdout; Error = $stderr.Result }
    }

    # What the child runs: the quickstart from the installed module, reporting facts as JSON.
    $quickstart = Join-Path $TestDrive 'quickstart.ps1'
    Set-Content -LiteralPath $quickstart -Value @'
param([string] $ResultPath)
$ErrorActionPreference = 'Stop'
$facts = [ordered]@{}
try {
    Import-Module Mesa
    $module = Get-Module Mesa
    $facts.ModuleBase = $module.ModuleBase
    $facts.Version = "$($module.Version)"

    # The README quickstart, from nothing: a bundled server, a key, a principal with a capability, a signed offer.
    $server = Start-MesaLocalServer -Connect
    $facts.ServerCommandLine = (Get-Process -Id $server.ProcessId).CommandLine
    $key = New-MesaKeypair
    $principal = $key | New-MesaPrincipal -Org acme | Set-MesaCapability -Capability offer
    $deal = New-MesaDeliberation -Title 'News archive licence'
    $commitment = New-MesaEnvelope -Type offer -EmittedBy $principal.Id -DeliberationId $deal.Id -Keypair $key `
        -Payload @{ summary = 'Twelve months, 18k USD'; terms = @{ fee_total_usd = 18000 } } |
        Submit-MesaCommitment
    $facts.CommitmentStatus = "$($commitment.Status)"
    $facts.Capabilities = @($principal.Capabilities)
    $facts.CommitmentsInDeal = @((Get-MesaDeliberation -Id $deal.Id).Commitments).Count

    # The private load context: NSec from the installed dependencies/ folder, not the default context.
    $nsec = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'NSec.Cryptography' }
    $facts.NSec = @($nsec | ForEach-Object {
            [ordered]@{ Location = $_.Location; Context = [Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).Name }
        })
    # Which libsodium the process mapped (Linux only: /proc/self/maps).
    $facts.Libsodium = if (Test-Path /proc/self/maps) {
        @(Get-Content /proc/self/maps | ForEach-Object { ($_ -split '\s+', 6)[5] } | Where-Object { $_ -like '*libsodium*' } | Sort-Object -Unique)
    } else { @() }

    # Parallel runspaces find the module through PSModulePath only, and share the connection.
    $connection = Get-MesaConnection
    $id = $principal.Id
    $facts.ParallelBases = @(1..2 | ForEach-Object -Parallel { Import-Module Mesa; (Get-Module Mesa).ModuleBase })
    $facts.ParallelPrincipals = @(1..2 | ForEach-Object -Parallel {
            Import-Module Mesa
            (Get-MesaPrincipal -Id $using:id -Connection $using:connection).Id
        })

    $facts.AboutTopic = "$(Get-Help about_Mesa | Out-String)".Length
    $facts.ExampleCount = @((Get-Help New-MesaKeypair -Examples).examples.example).Count

    $serverProcess = Get-Process -Id $server.ProcessId
    Stop-MesaLocalServer -Server $server
    $facts.ServerExited = $serverProcess.WaitForExit(10000)
}
catch {
    $facts.Failure = "$($_.FullyQualifiedErrorId): $($_.Exception.Message)"
}
$facts.Errors = @($Error | ForEach-Object { "$_" })
$facts | ConvertTo-Json -Depth 5 | Set-Content -LiteralPath $ResultPath
'@

    $resultPath = Join-Path $TestDrive 'saved.json'
    $childEnvironment = @{ PSModulePath = $modules + [IO.Path]::PathSeparator + $env:PSModulePath }
    $run = Invoke-ChildPwsh -Script $quickstart -Arguments @('-ResultPath', $resultPath) -Environment $childEnvironment
    if (-not (Test-Path $resultPath)) { throw "The child pwsh wrote no result (exit $($run.ExitCode)): $($run.Output) $($run.Error)" }
    $facts = Get-Content -Raw $resultPath | ConvertFrom-Json
}

Describe 'The package' {
    BeforeEach { Skip-Test -Needs LocalServer }

    It 'is out/packages/Mesa.<version>.nupkg, with the version of Directory.Build.props' {
        $package | Should -Exist
        (Import-PowerShellDataFile (Join-Path $installed 'Mesa.psd1')).ModuleVersion | Should -Be $version
    }

    It 'carries the manifest metadata: tags, release notes, no placeholder address' {
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [IO.Compression.ZipFile]::OpenRead($package)
        try {
            $entry = $zip.Entries | Where-Object FullName -EQ 'Mesa.nuspec'
            $reader = [IO.StreamReader]::new($entry.Open())
            try { $nuspec = [xml]$reader.ReadToEnd() } finally { $reader.Dispose() }
            @($zip.Entries.FullName) | Should -Contain 'LICENSE'
        }
        finally { $zip.Dispose() }
        $meta = $nuspec.package.metadata
        $meta.id | Should -Be 'Mesa'
        $meta.version | Should -Be $version
        $meta.tags -split ' ' | Should -Contain 'mesa'
        $meta.tags -split ' ' | Should -Contain 'PSEdition_Core'
        $meta.releaseNotes | Should -Not -BeNullOrEmpty
        $meta.licenseUrl | Should -Be 'https://opensource.org/license/mit'
        $nuspec.OuterXml | Should -Not -Match 'example\.invalid'
    }

    It 'leaves the user''s PSResource repositories as they were' {
        @(Get-PSResourceRepository | ForEach-Object { "$($_.Name)=$($_.Uri)" } | Sort-Object) | Should -Be $repositoriesBefore
    }
}

Describe 'Saved into a module path with Save-PSResource' {
    BeforeEach { Skip-Test -Needs LocalServer }

    It 'holds every file of the module layout, byte for byte (natives, bundled server, help, licence)' {
        $expected = Get-ChildItem $moduleOut -Recurse -File | ForEach-Object {
            [pscustomobject]@{ Path = [IO.Path]::GetRelativePath($moduleOut, $_.FullName); Hash = (Get-FileHash $_.FullName).Hash }
        }
        $missing = foreach ($file in $expected) {
            $copy = Join-Path $installed $file.Path
            if (-not (Test-Path -LiteralPath $copy)) { "missing: $($file.Path)" }
            elseif ((Get-FileHash -LiteralPath $copy).Hash -ne $file.Hash) { "differs: $($file.Path)" }
        }
        $missing | Should -BeNullOrEmpty
        $expected.Path | Should -Contain (Join-Path 'dependencies/runtimes/linux-x64/native' 'libsodium.so')
        $expected.Path | Should -Contain (Join-Path 'LocalServer' 'Mesa.LocalServer.dll')
        $expected.Path | Should -Contain (Join-Path 'en-US' 'about_Mesa.help.txt')
        $expected.Path | Should -Contain 'LICENSE'
        $expected.Path | Should -Contain 'THIRD-PARTY-NOTICES.txt'
        # Nothing in it needs an executable bit, which a package would lose: the server runs as 'dotnet <dll>'.
        $expected.Path | Should -Not -Contain (Join-Path 'LocalServer' 'Mesa.LocalServer')
    }

    It 'names the licence of every third-party package the module and its bundled server ship' {
        $notices = Get-Content -Raw (Join-Path $installed 'THIRD-PARTY-NOTICES.txt')
        $shipped = foreach ($deps in (Join-Path $root 'out/publish/Mesa.PowerShell/Mesa.PowerShell.deps.json'), (Join-Path $installed 'LocalServer/Mesa.LocalServer.deps.json')) {
            $libraries = (Get-Content -Raw $deps | ConvertFrom-Json -AsHashtable).libraries
            $libraries.Keys | Where-Object { $libraries[$_].type -eq 'package' }
        }
        @($shipped).Count | Should -BeGreaterThan 5
        foreach ($key in $shipped | Sort-Object -Unique) {
            $id, $ver = $key -split '/', 2
            $notices | Should -Match ("(?m)^" + [regex]::Escape("$id $ver") + "\r?\nLicence: \S") -Because "$key ships in the module"
        }
        $notices | Should -Match 'Polly.Core [^\n]*\r?\nLicence: BSD-3-Clause'
        $notices | Should -Match 'libsodium [^\n]*\r?\nLicence: ISC'
    }

    It 'imports by name in a fresh pwsh, from the installed folder' {
        $facts.Failure | Should -BeNullOrEmpty
        $facts.ModuleBase | Should -Be $installed
        $facts.Version | Should -Be $version
    }

    It 'runs the quickstart against a local server started from the installed copy' {
        $facts.ServerCommandLine | Should -BeLike "*$(Join-Path $installed 'LocalServer' 'Mesa.LocalServer.dll')*"
        $facts.Capabilities | Should -Be @('offer')
        $facts.CommitmentStatus | Should -Be 'active'
        $facts.CommitmentsInDeal | Should -Be 1
        $facts.ServerExited | Should -BeTrue
    }

    It 'loads NSec in the private load context from the installed dependencies folder' {
        @($facts.NSec).Count | Should -Be 1
        $facts.NSec[0].Location | Should -Be (Join-Path $installed 'dependencies' 'NSec.Cryptography.dll')
        $facts.NSec[0].Context | Should -Be 'Mesa.Dependencies'
        if ($IsLinux) {
            $facts.Libsodium | Should -Be @(Join-Path $installed "dependencies/runtimes/linux-$([Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture.ToString().ToLowerInvariant())/native/libsodium.so")
        }
    }

    It 'is found by name from ForEach-Object -Parallel runspaces, which share the connection' {
        $facts.ParallelBases | Should -Be @($installed, $installed)
        $facts.ParallelPrincipals.Count | Should -Be 2
        $facts.ParallelPrincipals | Should -Not -BeNullOrEmpty
    }

    It 'brings its help: about_Mesa and the cmdlet examples' {
        $facts.AboutTopic | Should -BeGreaterThan 2000
        $facts.ExampleCount | Should -BeGreaterOrEqual 1
    }

    It 'wrote no error record in the whole session' {
        $facts.Errors | Should -BeNullOrEmpty
    }
}

Describe 'Installed with Install-PSResource -Scope CurrentUser' -Skip:($IsWindows) {
    BeforeEach { Skip-Test -Needs LocalServer }

    # A private HOME (and no inherited PSModulePath or XDG_DATA_HOME) moves both the user module folder and
    # PSResourceGet's repository list into the test drive; the script refuses to install anywhere else.
    BeforeAll {
        if (Get-SkipReason -Needs LocalServer) { return }
        $home2 = Join-Path $TestDrive 'home'
        $null = New-Item -ItemType Directory -Path $home2
        $install = Join-Path $TestDrive 'install.ps1'
        Set-Content -LiteralPath $install -Value @'
param([string] $Folder, [string] $Version, [string] $ExpectedHome)
$ErrorActionPreference = 'Stop'
$userModules = ($env:PSModulePath -split [IO.Path]::PathSeparator)[0]
if ($HOME -ne $ExpectedHome -or -not $userModules.StartsWith($ExpectedHome)) {
    throw "Refusing to install outside the test home: HOME=$HOME, user modules=$userModules"
}
Register-PSResourceRepository -Name MesaLocal -Uri $Folder -Trusted
Install-PSResource -Name Mesa -Version $Version -Repository MesaLocal -Scope CurrentUser -TrustRepository -SkipDependencyCheck
(Get-InstalledPSResource -Name Mesa -Scope CurrentUser).InstalledLocation
'@
        $isolated = @{ HOME = $home2; PSModulePath = $null; XDG_DATA_HOME = $null; XDG_CONFIG_HOME = $null; XDG_CACHE_HOME = $null }
        $installRun = Invoke-ChildPwsh -Script $install -Arguments @('-Folder', (Split-Path $package), '-Version', $version, '-ExpectedHome', $home2) -Environment $isolated
        $userResult = Join-Path $TestDrive 'installed.json'
        $userRun = Invoke-ChildPwsh -Script $quickstart -Arguments @('-ResultPath', $userResult) -Environment $isolated
        $userFacts = if (Test-Path $userResult) { Get-Content -Raw $userResult | ConvertFrom-Json }
    }

    It 'installs into the user module folder, and a fresh pwsh imports it by name and runs the quickstart' {
        $installRun.ExitCode | Should -Be 0 -Because "$($installRun.Output) $($installRun.Error)"
        $userFacts | Should -Not -BeNullOrEmpty -Because "$($userRun.Output) $($userRun.Error)"
        $userFacts.Failure | Should -BeNullOrEmpty
        $userFacts.ModuleBase | Should -Be (Join-Path $home2 ".local/share/powershell/Modules/Mesa/$version")
        $userFacts.CommitmentStatus | Should -Be 'active'
        $userFacts.ParallelBases | Should -Be @($userFacts.ModuleBase, $userFacts.ModuleBase)
        $userFacts.Errors | Should -BeNullOrEmpty
    }
}
