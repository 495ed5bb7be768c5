<#
.SYNOPSIS
    The examples of the built module's help, as HelpExamples.Tests.ps1 runs them: one entry per exported cmdlet
    (from Get-Help <name> -Examples, i.e. the MAML next to the module), plus the about_Mesa topic's first run.
    Dot-sourced both at discovery and at run time, so both see the same examples with the same indexes.
#>
function Get-MesaHelpExample {
    param([Parameter(Mandatory)][string] $ModulePath)

    $module = Import-Module $ModulePath -PassThru -ErrorAction Stop
    foreach ($name in $module.ExportedCmdlets.Keys | Sort-Object) {
        $i = 0
        $examples = @(foreach ($example in (Get-Help -Name $name -Examples).examples.example) {
                if ($null -eq $example) { continue }
                @{ Index = ++$i; Title = "$($example.title)".Trim(' -'); Code = "$($example.code)" }
            })
        @{ Name = $name; Examples = $examples }
    }

    # about_Mesa: the block indented by 8 under "A FIRST RUN" is code too.
    $about = @(Get-Content -LiteralPath (Join-Path $module.ModuleBase 'en-US/about_Mesa.help.txt'))
    $start = [array]::FindIndex([string[]]$about, [Predicate[string]] { param($l) $l -match '^\s+A FIRST RUN\s*$' })
    $code = [System.Collections.Generic.List[string]]::new()
    if ($start -ge 0) {
        foreach ($line in $about | Select-Object -Skip ($start + 1)) {
            if ($line -match '^ {8}') { $code.Add($line.Substring(8)) }
            elseif ($code.Count -gt 0 -and $line -notmatch '^\s*$') { break }
            elseif ($code.Count -gt 0) { $code.Add('') }
        }
    }
    @{ Name = 'about_Mesa'; Examples = @(@{ Index = 1; Title = 'A FIRST RUN'; Code = ($code -join "`n").Trim() }) }
    Remove-Module $module
}
