<#
.SYNOPSIS
    Shared helpers for the acceptance suites. Each *.Tests.ps1 dot-sources this file in its BeforeAll, so every
    file still runs on its own (Pester 6 discovers and runs files one by one).
#>

# The module under test: the build output, never an installed copy.
$script:MesaModulePath = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../out/Mesa/Mesa.psd1'))
$script:MesaServerDll = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../out/Mesa/LocalServer/Mesa.LocalServer.dll'))

function Import-MesaUnderTest {
    if (-not (Test-Path $script:MesaModulePath)) {
        throw "The module is not built: $script:MesaModulePath is missing. Run 'dotnet pwsh ./build.ps1 Build' first."
    }
    # Connect-Mesa reads these as fallbacks; a developer's own values must not leak into the tests.
    Remove-Item Env:MESA_URL, Env:MESA_ADMIN_TOKEN, Env:MESA_PROFILE -ErrorAction SilentlyContinue
    Import-Module $script:MesaModulePath -Force -ErrorAction Stop
}

# A distinctive admin token per test file, so transcripts and error texts can be searched for it. Against a shared
# server (MESA_TEST_URI) it is that server's token, MESA_TEST_ADMIN_TOKEN.
function New-TestAdminToken {
    $plain = if (Test-SharedServer) { $env:MESA_TEST_ADMIN_TOKEN }
    else { 'adm-' + [Convert]::ToHexString([System.Security.Cryptography.RandomNumberGenerator]::GetBytes(16)).ToLowerInvariant() }
    if (-not $plain) { throw 'MESA_TEST_URI is set but MESA_TEST_ADMIN_TOKEN is not: the suites grant capabilities with it.' }
    [pscustomobject]@{ Plain = $plain; Secure = (ConvertTo-SecureString $plain -AsPlainText -Force) }
}

# The policies every suite runs under (protocol section 8):
#   flag  when terms.fee_total_usd > 10000   (spend_over_cap)
#   route when terms.term_months   > 24      (term_months_over_cap, to legal-review)
#   block when terms.discount_pct  > 30      (agent_discount_over_cap)
function New-TestPolicyFile {
    param([Parameter(Mandatory)][string] $Path)
    $policies = @(
        [ordered]@{
            id = 'pol-flag-spend'; name = 'flag-large-spend'; scope_kind = 'global'; scope_ref = $null
            predicate_name = 'spend_over_cap'; params = [ordered]@{ cap = 10000 }; action = 'flag'; route_to = $null; enabled = $true
        }
        [ordered]@{
            id = 'pol-route-term'; name = 'route-long-term'; scope_kind = 'global'; scope_ref = $null
            predicate_name = 'term_months_over_cap'; params = [ordered]@{ cap = 24 }; action = 'route'; route_to = 'legal-review'; enabled = $true
        }
        [ordered]@{
            id = 'pol-block-discount'; name = 'block-deep-discount'; scope_kind = 'global'; scope_ref = $null
            predicate_name = 'agent_discount_over_cap'; params = [ordered]@{ cap = 30 }; action = 'block'; route_to = $null; enabled = $true
        }
    )
    ConvertTo-Json -InputObject $policies -Depth 5 | Set-Content -Path $Path -Encoding utf8NoBOM
    $Path
}

# The suites against a server of one's own (README "Testing"): with MESA_TEST_URI set, Start-TestServer returns that
# server (admin token MESA_TEST_ADMIN_TOKEN, generation MESA_TEST_PROFILE, default v2) instead of starting one, and
# the tests that need what no protocol route sets up skip themselves with the reason (Skip-Test). The server may hold
# other data: tests use fresh keys and unique names and never assume a list is empty.
function Test-SharedServer { [bool]$env:MESA_TEST_URI }

function Get-SharedServerProfile {
    $p = if ($env:MESA_TEST_PROFILE) { $env:MESA_TEST_PROFILE } else { 'v2' }
    if ($p -notin 'v1', 'v2') { throw "MESA_TEST_PROFILE must be v1 or v2, not '$p'." }
    $p
}

# Why the running tests cannot have what they need against the shared server, or $null when they can (always $null
# without MESA_TEST_URI). Needs: Policies (the standard test policies: a --policies file or /_local/policies, both
# local-server only), LocalServer (server processes of their own, the local-server cmdlets, installing the package),
# v1 or v2 (a server of that generation).
function Get-SkipReason {
    param([Parameter(Mandatory)][ValidateSet('Policies', 'LocalServer', 'v1', 'v2')][string[]] $Needs)
    if (-not (Test-SharedServer)) { return $null }
    $reasons = foreach ($need in $Needs) {
        switch ($need) {
            'Policies' { 'the standard test policies, which only a local server sets up (--policies, /_local/policies); MESA_TEST_URI names a shared server' }
            'LocalServer' { 'server processes of its own (local-server behaviour, not the protocol); MESA_TEST_URI names a shared server' }
            default { if ((Get-SharedServerProfile) -ne $need) { "a $need server; the shared server (MESA_TEST_URI) speaks $(Get-SharedServerProfile)" } }
        }
    }
    if ($reasons) { 'it needs ' + (@($reasons) -join ', and ') }
}

# Marks the running test (call it first in an It, or in a BeforeEach) skipped, with the reason, when Get-SkipReason
# gives one. Set-ItResult throws, so nothing after it runs.
function Skip-Test {
    param([Parameter(Mandatory)][ValidateSet('Policies', 'LocalServer', 'v1', 'v2')][string[]] $Needs)
    $reason = Get-SkipReason -Needs $Needs
    if ($reason) { Set-ItResult -Skipped -Because $reason }
}

# A unique name for this run, so tests find their own data on a server that holds other data too.
function New-TestName {
    param([string] $Prefix = 'test')
    "$Prefix-" + [Guid]::NewGuid().ToString('n').Substring(0, 10)
}

# Starts a server for one test file: free port, the given admin token, the standard policies. Against a shared server
# (MESA_TEST_URI) it returns that one, which has no process: stop it with Stop-TestServer.
function Start-TestServer {
    param(
        [Parameter(Mandatory)] $AdminToken,
        [string] $PolicyPath,
        [ValidateSet('v1', 'v2')][string] $Profile = 'v2'
    )
    if (Test-SharedServer) {
        if ((Get-SharedServerProfile) -ne $Profile) { return $null }
        return [pscustomobject]@{
            PSTypeName = 'Mesa.Tests.SharedServer'; Uri = [uri]$env:MESA_TEST_URI; Profile = $Profile
            AdminToken = $AdminToken.Secure; ProcessId = $null; Shared = $true
        }
    }
    $params = @{ AdminToken = $AdminToken.Secure; Profile = $Profile; ErrorAction = 'Stop' }
    if ($PolicyPath) { $params.PolicyPath = $PolicyPath }
    Start-MesaLocalServer @params
}

# Stops what Start-TestServer started; a shared server is left running.
function Stop-TestServer {
    param($Server)
    if ($Server -and -not ($Server.PSObject.Properties['Shared'] -and $Server.Shared)) { Stop-MesaLocalServer -Server $Server }
}

# A registered principal with a fresh keypair and the given capabilities (granted with the connection's admin token).
function New-TestPrincipal {
    param(
        [string] $Org = 'acme',
        [string[]] $Capability = @('offer'),
        $Connection
    )
    $c = @{}
    if ($Connection) { $c.Connection = $Connection }
    $keypair = New-MesaKeypair
    $principal = New-MesaPrincipal -Org $Org -Keypair $keypair @c -ErrorAction Stop
    if ($Capability.Count -gt 0) {
        $principal = Set-MesaCapability -PrincipalId $principal.Id -Capability $Capability -Confirm:$false @c -ErrorAction Stop
    }
    [pscustomobject]@{ Keypair = $keypair; Principal = $principal; Id = $principal.Id }
}

# An offer payload (core pack: summary + terms).
function New-OfferPayload {
    param([string] $Summary = 'Dataset licence offer', [hashtable] $Terms = @{ price = 100 })
    [ordered]@{ summary = $Summary; terms = $Terms }
}

# Runs a block with every error terminating and returns the ErrorRecord it raised (or throws when none came).
function Get-ErrorRecord {
    param([Parameter(Mandatory)][scriptblock] $ScriptBlock)
    $ErrorActionPreference = 'Stop'
    try {
        $null = & $ScriptBlock
    }
    catch {
        return $_
    }
    throw 'Expected the block to fail, but it succeeded.'
}

# True while the process runs. A zombie (exited, not yet reaped by whatever adopted it) counts as gone.
function Test-ProcessAlive {
    param([Parameter(Mandatory)][int] $Id)
    $p = Get-Process -Id $Id -ErrorAction SilentlyContinue
    if (-not $p -or $p.HasExited) { return $false }
    $stat = "/proc/$Id/stat"
    if (Test-Path $stat) {
        # Field 3 of /proc/<pid>/stat is the state; the name in field 2 may hold spaces, so split after ')'.
        $text = Get-Content -Raw $stat -ErrorAction SilentlyContinue
        if ($text -and $text.Substring($text.LastIndexOf(')') + 1).Trim().StartsWith('Z')) { return $false }
    }
    $true
}

# Polls a condition until it holds or the time is up; $true when it held. For waiting on a condition instead of a
# fixed sleep: the test goes on as soon as it holds, and a slow machine only makes it wait longer, not fail.
function Wait-Until {
    param([Parameter(Mandatory)][scriptblock] $Condition, [double] $TimeoutSec = 10, [int] $IntervalMs = 100)
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
    while ($true) {
        if (& $Condition) { return $true }
        if ([DateTime]::UtcNow -ge $deadline) { return $false }
        Start-Sleep -Milliseconds $IntervalMs
    }
}

function Wait-ProcessExit {
    param([Parameter(Mandatory)][int] $Id, [int] $TimeoutSec = 10)
    Wait-Until { -not (Test-ProcessAlive $Id) } -TimeoutSec $TimeoutSec
}

# A port nobody listens on right now.
function Get-FreeTcpPort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

# Starts the bundled server directly (no Start-MesaLocalServer), for cases the cmdlet cannot produce: a server
# without any admin token, or with command-line options of a test's own (-Arguments). It goes through the module's
# own launcher, [Mesa.Client.LocalServerProcess] (loaded by Import-MesaUnderTest), so the ready line, the variable
# names and the options are read where they are defined instead of restated here; a failed start throws its
# LocalServerStartException (exit code, and the server's stderr in .Output). Returns the running LocalServerProcess
# (Uri, ProcessId, Output).
function Start-RawLocalServer {
    param([string[]] $Arguments = @())
    $info = [Mesa.Client.LocalServerStartInfo]@{
        ServerPath          = $script:MesaServerDll
        DatabasePath        = [Mesa.Client.LocalServerContract]::InMemoryDatabase
        AdditionalArguments = [string[]]$Arguments
        # No AdminToken: the server must not inherit one from the environment either, and the launcher removes it.
    }
    [Mesa.Client.LocalServerProcess]::StartAsync($info, [System.Threading.CancellationToken]::None).GetAwaiter().GetResult()
}

function Stop-RawLocalServer {
    param($Server)
    # SIGTERM, then killed if it lingers; safe on a server that already stopped.
    if ($Server) { $Server.Dispose() }
}

# Runs a script in a child pwsh that can prompt, answering its confirmation prompts in turn (Y, N, ...); the result of
# Invoke-MesaChildPwsh plus Prompts, how many "Are you sure" prompts it showed.
function Invoke-MesaConfirmRun {
    param([Parameter(Mandatory)][string] $Script, [Parameter(Mandatory)][string[]] $Answers)
    $run = Invoke-MesaChildPwsh -Script $Script -InputText (($Answers -join "`n") + "`n")
    $prompts = [regex]::Matches($run.Output, 'Are you sure you want to perform this action').Count
    $run | Add-Member -NotePropertyName Prompts -NotePropertyValue $prompts -PassThru
}

# Runs a script in a fresh child pwsh (the way this one runs: dotnet <PSHOME>/pwsh.dll when it is a dotnet tool) with
# the MESA_* variables removed and then the given ones set: what a runbook or CI job started with only environment
# variables sees. The module is imported first unless -NoImport. Returns ExitCode, Output (stdout) and Errors (stderr).
function Invoke-MesaChildPwsh {
    param(
        [Parameter(Mandatory)][string] $Script,
        [hashtable] $Environment = @{},
        [string] $WorkingDirectory = (Get-Location).Path,
        [string] $InputText,
        [switch] $NoImport,
        [int] $TimeoutSec = 120
    )
    $psi = [System.Diagnostics.ProcessStartInfo]::new()
    $dll = Join-Path $PSHOME 'pwsh.dll'
    if (Test-Path $dll) { $psi.FileName = 'dotnet'; $psi.ArgumentList.Add($dll) }
    else { $psi.FileName = Join-Path $PSHOME 'pwsh' }
    $prefix = if ($NoImport) { '' } else { "Import-Module '$($script:MesaModulePath)' -ErrorAction Stop`n" }
    $arguments = @('-NoProfile')
    if (-not $PSBoundParameters.ContainsKey('InputText')) { $arguments += '-NonInteractive' }
    foreach ($a in $arguments + @('-Command', $prefix + $Script)) { $psi.ArgumentList.Add($a) }
    foreach ($name in 'MESA_URL', 'MESA_ADMIN_TOKEN', 'MESA_PROFILE') { $null = $psi.Environment.Remove($name) }
    foreach ($name in $Environment.Keys) { $psi.Environment[$name] = [string]$Environment[$name] }
    $psi.WorkingDirectory = $WorkingDirectory
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.RedirectStandardInput = $true
    $psi.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($psi)
    $stdout = $process.StandardOutput.ReadToEndAsync()
    $stderr = $process.StandardError.ReadToEndAsync()
    if ($PSBoundParameters.ContainsKey('InputText')) { $process.StandardInput.Write($InputText) }
    $process.StandardInput.Close()
    if (-not $process.WaitForExit($TimeoutSec * 1000)) {
        $process.Kill($true)
        throw "The child pwsh did not finish within $TimeoutSec s. Output so far: $($stdout.Result)"
    }
    $process.WaitForExit()
    [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $stdout.Result; Errors = $stderr.Result }
}
