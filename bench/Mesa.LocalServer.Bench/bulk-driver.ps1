# Run by `Mesa.LocalServer.Bench bulk` in a real pwsh that imports the built module: times the cmdlets the way a
# runbook uses them and prints one "RESULT {json}" line per case. Not meant to be run by hand.
param(
    [Parameter(Mandatory)] [string] $Module,
    [Parameter(Mandatory)] [string] $Uri,
    [Parameter(Mandatory)] [string] $ProxyUri,
    [Parameter(Mandatory)] [string] $EnvelopeFile,
    [Parameter(Mandatory)] [string] $KeyFile,
    [Parameter(Mandatory)] [string] $CsvFile,
    [Parameter(Mandatory)] [string] $Principal,
    [Parameter(Mandatory)] [string] $Deliberation,
    [Parameter(Mandatory)] [string] $Type,
    [int] $LatencyItems = 300,
    [int] $CostRounds = 5,
    [int] $WarmupLimitSec = 120
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module $Module

# This process's CPU time (all threads), sampled around each timed case: CPU per request does not move with the
# machine's load the way a rate does. "BEGIN" lets the bench sample the server's CPU time at the same moment.
$self = [Diagnostics.Process]::GetCurrentProcess()
$script:cpuStart = [timespan]::Zero
$script:jitStart = [timespan]::Zero
function Start-Case([string] $Case) {
    "BEGIN $Case"
    $self.Refresh()
    $script:cpuStart = $self.TotalProcessorTime
    $script:jitStart = [System.Runtime.JitInfo]::GetCompilationTime($false)
}

function Write-Result([string] $Case, [int] $Items, [double] $Seconds, [int] $Ok, [int] $Errors, [string] $Note = '', [double] $Value = 0) {
    $self.Refresh()
    $cpu = if ($Seconds -gt 0) { ($self.TotalProcessorTime - $script:cpuStart).TotalMilliseconds } else { 0 }
    $jit = if ($Seconds -gt 0) { ([System.Runtime.JitInfo]::GetCompilationTime($false) - $script:jitStart).TotalMilliseconds } else { 0 }
    'RESULT ' + ([pscustomobject]@{ case = $Case; items = $Items; seconds = $Seconds; ok = $Ok; errors = $Errors; note = $Note; value = $Value; cpuMs = $cpu; jitMs = $jit } | ConvertTo-Json -Compress)
}

$hasThrottle = (Get-Command Submit-MesaCommitment).Parameters.ContainsKey('ThrottleLimit')
$keypair = Import-MesaKeypair -Path $KeyFile
$signed = @(Import-MesaEnvelope -Path $EnvelopeFile)
$rows = @(Import-Csv -Path $CsvFile)

# --- New-MesaEnvelope per item against MesaEnvelope.Create(...).Sign(...) called directly, in this process -------
$client = [Mesa.Client.MesaEnvelope].Assembly.Location
Add-Type -ReferencedAssemblies $client, 'System.Collections', 'System.Runtime' -CompilerOptions '-nowarn:CS1701' -TypeDefinition @'
using System.Collections.Generic;
using System.Diagnostics;
public static class DirectEnvelopes
{
    // The same payloads as the CSV rows (three strings each), made, canonicalised and signed in a plain loop.
    public static double MicrosecondsPerItem(string[] uri, string[] version, string[] executedAt, string type, string principal, string deliberation, Mesa.Client.MesaKeypair keypair)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < uri.Length; i++)
        {
            var payload = new Dictionary<string, object> { ["uri"] = uri[i], ["version"] = version[i], ["executed_at"] = executedAt[i] };
            Mesa.Client.MesaEnvelope.Create(type, principal, payload, deliberation).Sign(keypair);
        }

        return clock.Elapsed.TotalMilliseconds * 1000.0 / uri.Length;
    }
}
'@
[string[]] $uris = $rows.uri
[string[]] $versions = $rows.version
[string[]] $dates = $rows.executed_at
$null = [DirectEnvelopes]::MicrosecondsPerItem($uris, $versions, $dates, $Type, $Principal, $Deliberation, $keypair)
$null = $rows | New-MesaEnvelope -Type $Type -EmittedBy $Principal -DeliberationId $Deliberation -Keypair $keypair
$ratios = foreach ($round in 1..$CostRounds) {
    $direct = [DirectEnvelopes]::MicrosecondsPerItem($uris, $versions, $dates, $Type, $Principal, $Deliberation, $keypair)
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $null = $rows | New-MesaEnvelope -Type $Type -EmittedBy $Principal -DeliberationId $Deliberation -Keypair $keypair
    $cmdlet = $clock.Elapsed.TotalMilliseconds * 1000.0 / $rows.Count
    [pscustomobject]@{ Direct = $direct; Cmdlet = $cmdlet; Ratio = $cmdlet / $direct }
}
$median = @($ratios | Sort-Object Ratio)[[int][math]::Floor($CostRounds / 2)]
Write-Result 'New-MesaEnvelope per item vs direct Create+Sign' $rows.Count 0 $rows.Count 0 ('{0:F1} us vs {1:F1} us direct (median of {2} rounds)' -f $median.Cmdlet, $median.Direct, $CostRounds) $median.Ratio

# --- Submit-MesaCommitment against the server itself ------------------------------------------------------------
# -WarmUp: the same call, unmeasured and unreported (so the warm-up runs exactly the code the cases run).
function Measure-Submit([string] $Case, [object[]] $Envelopes, [int] $ThrottleLimit, [switch] $Sign, [switch] $WarmUp) {
    if ($ThrottleLimit -gt 1 -and -not $hasThrottle) {
        if (-not $WarmUp) { Write-Result $Case $Envelopes.Count 0 0 0 'not measured: this build has no -ThrottleLimit' }
        return
    }

    $options = @{}
    if ($hasThrottle) { $options.ThrottleLimit = $ThrottleLimit }
    if ($Sign) { $options.Keypair = $keypair }
    $problems = $null
    if (-not $WarmUp) { Start-Case $Case }
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $landed = @($Envelopes | Submit-MesaCommitment @options -ErrorAction SilentlyContinue -ErrorVariable problems)
    $seconds = $clock.Elapsed.TotalSeconds
    $note = if ($problems.Count) { 'first error: ' + $problems[0].FullyQualifiedErrorId } else { '' }
    if (-not $WarmUp) { Write-Result $Case $Envelopes.Count $seconds $landed.Count $problems.Count $note }
}

function Measure-Csv([string] $Path, [int] $Count, [switch] $WarmUp) {
    $case = 'Import-Csv | New-MesaEnvelope | Submit-MesaCommitment -ThrottleLimit 8'
    if (-not $hasThrottle) {
        if (-not $WarmUp) { Write-Result $case $Count 0 0 0 'not measured: this build has no -ThrottleLimit' }
        return
    }

    $problems = $null
    if (-not $WarmUp) { Start-Case $case }
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $landed = @(Import-Csv -Path $Path |
        New-MesaEnvelope -Type $Type -EmittedBy $Principal -DeliberationId $Deliberation -Keypair $keypair |
        Submit-MesaCommitment -ThrottleLimit 8 -ErrorAction SilentlyContinue -ErrorVariable problems)
    $seconds = $clock.Elapsed.TotalSeconds
    if (-not $WarmUp) { Write-Result $case $Count $seconds $landed.Count $problems.Count }
}

Connect-Mesa -Uri $Uri
# Warm-up, unmeasured, of every path the cases take, repeated until the JIT is quiet: pwsh's background tier-up of
# its engine and the module went on for 30 s and more after a fixed 4,000-item warm-up on a loaded machine, and the
# first cases paid several seconds of JIT CPU inside their measured windows (the load generator is measured warm).
$unsigned = @($rows | New-MesaEnvelope -Type $Type -EmittedBy $Principal -DeliberationId $Deliberation)
$warmCsv = Join-Path ([IO.Path]::GetDirectoryName($CsvFile)) 'warm-up.csv'
Get-Content -Path $CsvFile -TotalCount 1001 | Set-Content -Path $warmCsv
$warmClock = [Diagnostics.Stopwatch]::StartNew()
$warmRounds = 0
$quiet = 0
do {
    $warmRounds++
    $self.Refresh()
    $cpuBefore = $self.TotalProcessorTime
    $jitBefore = [System.Runtime.JitInfo]::GetCompilationTime($false)
    foreach ($tl in 1, 4, 8) { Measure-Submit '' @($signed[0..999]) $tl -WarmUp }
    foreach ($tl in 1, 4, 8) { Measure-Submit '' @($unsigned[0..999]) $tl -Sign -WarmUp }
    Measure-Csv $warmCsv 1000 -WarmUp
    $self.Refresh()
    $jitShare = ([System.Runtime.JitInfo]::GetCompilationTime($false) - $jitBefore).TotalMilliseconds / ($self.TotalProcessorTime - $cpuBefore).TotalMilliseconds
    $quiet = if ($jitShare -le 0.02) { $quiet + 1 } else { 0 }
} while ($quiet -lt 2 -and $warmClock.Elapsed.TotalSeconds -lt $WarmupLimitSec)
'warm-up: {0} round(s) in {1:F0} s; JIT {2:P1} of the CPU time of the last' -f $warmRounds, $warmClock.Elapsed.TotalSeconds, $jitShare
foreach ($tl in 1, 4, 8) { Measure-Submit "pre-signed, -ThrottleLimit $tl" $signed $tl }
foreach ($tl in 1, 4, 8) { Measure-Submit "signing with -Keypair, -ThrottleLimit $tl" $unsigned $tl -Sign }
Measure-Csv $CsvFile $rows.Count

# --- the same through a proxy that adds latency ------------------------------------------------------------------
Connect-Mesa -Uri $ProxyUri
$null = $signed | Select-Object -First 20 | Submit-MesaCommitment
Measure-Submit 'latency: pre-signed, -ThrottleLimit 1' @($signed | Select-Object -First $LatencyItems) 1
Measure-Submit 'latency: pre-signed, -ThrottleLimit 8' @($signed | Select-Object -First ($LatencyItems * 4)) 8
