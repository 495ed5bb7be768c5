<#
.SYNOPSIS
    Runs Pester suites in this (child) process and writes a JSON summary of the counts for build.ps1.
#>
# Named parameters only: positionally, a second file after -Path bound to -ResultPath and was overwritten with the
# NUnit report.
[CmdletBinding(PositionalBinding = $false)]
param(
    [Parameter(Mandatory)][string] $PesterPath,
    [Parameter(Mandatory)][string[]] $Path,
    [Parameter(Mandatory)][string] $SummaryPath,
    [string] $ResultPath,
    # build.ps1 runs this with -File, and pwsh hands a list after -Path over as separate arguments: the first binds
    # to -Path, the rest land here.
    [Parameter(ValueFromRemainingArguments)][string[]] $MorePath
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -MinimumVersion 6.2.0

$config = New-PesterConfiguration
$config.Run.Path = @($Path) + @($MorePath | Where-Object { $_ })
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
if ($ResultPath) {
    $config.TestResult.Enabled = $true
    $config.TestResult.OutputFormat = 'NUnitXml'
    $config.TestResult.OutputPath = $ResultPath
}

$result = Invoke-Pester -Configuration $config
# A failed BeforeAll or a file that does not parse fails tests without counting them as failed tests: count them too.
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
[ordered]@{ Passed = $result.PassedCount; Failed = $failed; Skipped = $result.SkippedCount + $result.NotRunCount } |
    ConvertTo-Json | Set-Content -Path $SummaryPath
exit ([int]($failed -gt 0))
