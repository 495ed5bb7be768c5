#requires -Version 7.5
# build/Invoke-Acceptance.ps1 given several files after -Path, the way the brief and build.ps1 call it: every file
# runs and none is touched. Its parameters were positional, so without -ResultPath the second file bound to
# -ResultPath and was overwritten with the NUnit report.

Describe 'Invoke-Acceptance.ps1 with several -Path files' {
    BeforeAll {
        $runner = Join-Path $PSScriptRoot '../../build/Invoke-Acceptance.ps1'
        $pester = Join-Path (Get-Module Pester).ModuleBase 'Pester.psd1'
        $files = foreach ($name in 'One', 'Two', 'Three') {
            $path = Join-Path $TestDrive "$name.Tests.ps1"
            Set-Content -LiteralPath $path -Value "Describe '$name' { It 'runs' { 1 | Should -Be 1 } }"
            $path
        }
        $script:before = $files | ForEach-Object { Get-Content -Raw -LiteralPath $_ }
        $script:files = $files
        $script:summary = Join-Path $TestDrive 'summary.json'
        $dll = Join-Path $PSHOME 'pwsh.dll'
        $exe = if (Test-Path $dll) { 'dotnet' } else { Join-Path $PSHOME 'pwsh' }
        [string[]] $prefix = if (Test-Path $dll) { $dll } else { @() }
        $script:output = & $exe @prefix -NoProfile -NonInteractive -File $runner -PesterPath $pester -Path @files -SummaryPath $summary 2>&1
    }

    It 'runs every file' {
        (Get-Content -Raw -LiteralPath $summary | ConvertFrom-Json).Passed | Should -Be 3 -Because ($output -join "`n")
    }

    It 'leaves every file as it was' {
        $files | ForEach-Object { Get-Content -Raw -LiteralPath $_ } | Should -Be $before
    }
}
