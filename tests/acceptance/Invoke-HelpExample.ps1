#requires -Version 7.5
<#
.SYNOPSIS
    Runs help examples, each in a fresh runspace that has only the module imported, and writes what happened as JSON.
.DESCRIPTION
    Used by HelpExamples.Tests.ps1, in a child pwsh of its own (one per cmdlet). Each example gets a new runspace
    (default session state plus the module, no connection, no host to prompt with, Set-StrictMode -Version 1 so an
    undefined variable is an error) and a new, empty working folder;
    its output is formatted with Out-String so format views run too. Afterwards every local server the example
    started is stopped and checked to be gone.
.PARAMETER ModulePath
    The manifest of the module under test.
.PARAMETER ExamplePath
    A JSON file: an array of { Index, Title, Code }.
.PARAMETER ResultPath
    Where to write the JSON array of results: { Index, Title, Errors, Output, TimedOut, ServersLeft, Seconds }.
.PARAMETER TimeoutSec
    How long one example may run.
#>
param(
    [Parameter(Mandatory)][string] $ModulePath,
    [Parameter(Mandatory)][string] $ExamplePath,
    [Parameter(Mandatory)][string] $ResultPath,
    [int] $TimeoutSec = 60
)
$ErrorActionPreference = 'Stop'

function Format-ErrorRecord($Record) {
    $position = if ($Record.InvocationInfo -and $Record.InvocationInfo.ScriptLineNumber) { " (line $($Record.InvocationInfo.ScriptLineNumber))" } else { '' }
    "$($Record.FullyQualifiedErrorId)$position`: $($Record.Exception.Message)"
}

$examples = @(Get-Content -Raw -LiteralPath $ExamplePath | ConvertFrom-Json)
$work = Join-Path ([IO.Path]::GetTempPath()) "mesa-help-examples-$PID"
$results = foreach ($example in $examples) {
    $folder = New-Item -ItemType Directory -Force -Path (Join-Path $work "example$($example.Index)")
    $iss = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault()
    $iss.ImportPSModule([string[]]@($ModulePath))
    $runspace = [runspacefactory]::CreateRunspace($iss)
    $runspace.Open()
    $runspace.SessionStateProxy.Path.SetLocation($folder.FullName) | Out-Null
    $errors = [System.Collections.Generic.List[string]]::new()
    $output = ''
    $timedOut = $false
    $watch = [Diagnostics.Stopwatch]::StartNew()
    # Strict mode 1 turns a variable the example uses but never defines into an error.
    $strict = [powershell]::Create($runspace)
    $null = $strict.AddScript('Set-StrictMode -Version 1.0').Invoke()
    $strict.Dispose()
    $ps = [powershell]::Create($runspace)
    try {
        $null = $ps.AddScript($example.Code).AddCommand('Out-String').AddParameter('Width', 120)
        $async = $ps.BeginInvoke()
        if ($async.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds($TimeoutSec))) {
            try { $output = ($ps.EndInvoke($async) | Out-String) }
            catch {
                $inner = $_.Exception.InnerException ?? $_.Exception
                $record = if ($inner -is [System.Management.Automation.IContainsErrorRecord]) { $inner.ErrorRecord }
                $errors.Add($(if ($record) { "terminating: $(Format-ErrorRecord $record)" } else { "terminating: $($inner.GetType().FullName): $($inner.Message)" }))
            }
        }
        else {
            $timedOut = $true
            $ps.Stop()
            $errors.Add("timed out after $TimeoutSec s")
        }
        foreach ($record in $ps.Streams.Error) { $errors.Add((Format-ErrorRecord $record)) }
    }
    finally { $ps.Dispose() }

    # Stop whatever servers the example left running, and make sure they are gone.
    $cleanup = [powershell]::Create($runspace)
    $servers = @()
    try {
        $servers = @($cleanup.AddCommand('Get-MesaLocalServer').Invoke())
        $cleanup.Commands.Clear()
        $null = $cleanup.AddCommand('Stop-MesaLocalServer').AddParameter('Confirm', $false).Invoke()
    }
    catch { $errors.Add("cleanup: $($_.Exception.Message)") }
    finally { $cleanup.Dispose() }
    $runspace.Dispose()
    $left = foreach ($server in $servers) {
        $process = Get-Process -Id $server.ProcessId -ErrorAction SilentlyContinue
        if ($process -and -not $process.WaitForExit(10000)) { $server.ProcessId; $process.Kill($true) }
    }
    Remove-Item -LiteralPath $folder.FullName -Recurse -Force -ErrorAction SilentlyContinue
    # Environment variables are process-wide: one example's MESA_URL must not configure the next one.
    Remove-Item Env:MESA_URL, Env:MESA_ADMIN_TOKEN, Env:MESA_PROFILE -ErrorAction SilentlyContinue

    [ordered]@{
        Index       = $example.Index
        Title       = $example.Title
        Errors      = @($errors)
        Output      = if ($output.Length -gt 4000) { $output.Substring(0, 4000) + '...' } else { $output }
        TimedOut    = $timedOut
        ServersLeft = @($left)
        Seconds     = [math]::Round($watch.Elapsed.TotalSeconds, 2)
    }
}
Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
ConvertTo-Json -InputObject @($results) -Depth 5 | Set-Content -LiteralPath $ResultPath -Encoding utf8NoBOM
