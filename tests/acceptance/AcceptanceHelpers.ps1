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

# A distinctive admin token per test file, so transcripts and error texts can be searched for it.
function New-TestAdminToken {
    $plain = 'adm-' + [Convert]::ToHexString([System.Security.Cryptography.RandomNumberGenerator]::GetBytes(16)).ToLowerInvariant()
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

# Starts a server for one test file: free port, the given admin token, the standard policies.
function Start-TestServer {
    param(
        [Parameter(Mandatory)] $AdminToken,
        [string] $PolicyPath,
        [ValidateSet('v1', 'v2')][string] $Profile = 'v2'
    )
    $params = @{ AdminToken = $AdminToken.Secure; Profile = $Profile; ErrorAction = 'Stop' }
    if ($PolicyPath) { $params.PolicyPath = $PolicyPath }
    Start-MesaLocalServer @params
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

function Wait-ProcessExit {
    param([Parameter(Mandatory)][int] $Id, [int] $TimeoutSec = 10)
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
    while ([DateTime]::UtcNow -lt $deadline) {
        if (-not (Test-ProcessAlive $Id)) { return $true }
        Start-Sleep -Milliseconds 100
    }
    $false
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
