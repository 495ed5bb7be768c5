# pwsh's CPU per row along the CSV path, stage by stage, in one real pwsh against a bundled local server (a child
# process, in-memory store): Import-Csv alone, + New-MesaEnvelope (unsigned, signed), + Submit-MesaCommitment
# -ThrottleLimit 8 (signed by New-MesaEnvelope, or by Submit-MesaCommitment -Keypair on its workers), and the same
# envelopes pre-signed. Prints, per stage, the median CPU µs per row (all threads), the rate and the bytes allocated
# per row over the rounds after the first (warm-up). -Short: only the two submitting stages (for A/B runs of builds).
#   dotnet pwsh ./build.ps1 Build; dotnet pwsh -NoProfile -File bench/Mesa.LocalServer.Bench/csv-stages.ps1
param([int] $N = 10000, [int] $Rounds = 6, [switch] $Short, [string] $Module = (Join-Path $PSScriptRoot '../../out/Mesa/Mesa.psd1'))
$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue'
Import-Module $Module
$server = Start-MesaLocalServer -Connect
try {
    $key = New-MesaKeypair
    $type = 'dpa_reference'
    $principal = ($key | New-MesaPrincipal -Org acme | Set-MesaCapability -Capability $type).Id
    $deal = (New-MesaDeliberation -Title 'csv stages').Id
    $csv = Join-Path ([IO.Path]::GetTempPath()) "mesa-csv-stages-$PID.csv"
    $lines = [Collections.Generic.List[string]]::new()
    $lines.Add('uri,version,executed_at')
    foreach ($i in 1..$N) { $lines.Add("https://example.com/dpa/$i,v$($i % 7).$($i % 13),2026-11-$('{0:D2}' -f (1 + $i % 28))T10:00:00Z") }
    [IO.File]::WriteAllLines($csv, $lines)
    $self = [Diagnostics.Process]::GetCurrentProcess()
    function Measure-Stage([string] $Name, [scriptblock] $Body) {
        $bytes = [GC]::GetTotalAllocatedBytes($false); $self.Refresh(); $cpu = $self.TotalProcessorTime; $clock = [Diagnostics.Stopwatch]::StartNew()
        & $Body
        $self.Refresh()
        [pscustomobject]@{
            Name = $Name; Rate = [int]($N / $clock.Elapsed.TotalSeconds)
            CpuUs = [int](($self.TotalProcessorTime - $cpu).TotalMilliseconds * 1000 / $N)
            Bytes = [int](([GC]::GetTotalAllocatedBytes($false) - $bytes) / $N)
        }
    }
    $signed = @(Import-Csv $csv | New-MesaEnvelope -Type $type -EmittedBy $principal -DeliberationId $deal -Keypair $key)
    $results = foreach ($round in 1..$Rounds) {
        if (-not $Short) {
            Measure-Stage 'Import-Csv' { $null = @(Import-Csv $csv) }
            Measure-Stage '+ New-MesaEnvelope (unsigned)' { $null = @(Import-Csv $csv | New-MesaEnvelope -Type $type -EmittedBy $principal -DeliberationId $deal) }
            Measure-Stage '+ New-MesaEnvelope -Keypair' { $null = @(Import-Csv $csv | New-MesaEnvelope -Type $type -EmittedBy $principal -DeliberationId $deal -Keypair $key) }
            Measure-Stage '+ Submit (signed on workers)' { $null = @(Import-Csv $csv | New-MesaEnvelope -Type $type -EmittedBy $principal -DeliberationId $deal | Submit-MesaCommitment -Keypair $key -ThrottleLimit 8) }
        }
        Measure-Stage 'pre-signed | Submit' { $null = @($signed | Submit-MesaCommitment -ThrottleLimit 8) }
        Measure-Stage '+ Submit (the CSV path)' { $null = @(Import-Csv $csv | New-MesaEnvelope -Type $type -EmittedBy $principal -DeliberationId $deal -Keypair $key | Submit-MesaCommitment -ThrottleLimit 8) }
    }
    $stages = if ($Short) { 2 } else { 6 }
    $results | Select-Object -Skip $stages | Group-Object Name | ForEach-Object {
        $cpu = @($_.Group.CpuUs | Sort-Object); $rate = @($_.Group.Rate | Sort-Object); $bytes = @($_.Group.Bytes | Sort-Object)
        $mid = [int][math]::Floor($cpu.Count / 2)
        '{0,-30} CPU {1,4} us/row (median; {2}-{3})  {4,6}/s  {5,6} B/row' -f $_.Name, $cpu[$mid], $cpu[0], $cpu[-1], $rate[$mid], $bytes[$mid]
    }
}
finally {
    Stop-MesaLocalServer -Server $server
    if ($csv) { Remove-Item -LiteralPath $csv -ErrorAction SilentlyContinue }
}
