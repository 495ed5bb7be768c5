#requires -Version 7.5
# Help for every cmdlet the built module exports, read back through Get-Help (the MAML that
# build/New-MesaHelp.ps1 wrote next to the module), plus the generator's own rules on bad sources.
# Needs `build.ps1 Build` first (out/Mesa). Self-contained: no server, nothing left behind.

BeforeDiscovery {
    $manifest = Join-Path $PSScriptRoot '../../out/Mesa/Mesa.psd1'
    Import-Module $manifest -ErrorAction Stop
    $cmdlets = @((Get-Module Mesa).ExportedCmdlets.Keys | Sort-Object | ForEach-Object { @{ Name = $_ } })
}

BeforeAll {
    $manifest = Join-Path $PSScriptRoot '../../out/Mesa/Mesa.psd1'
    Import-Module $manifest -ErrorAction Stop
    $module = Get-Module Mesa
    # Verbose, Debug, ErrorAction, ... are described by PowerShell itself; WhatIf and Confirm are not and must be.
    $commonParameters = [System.Management.Automation.Cmdlet]::CommonParameters

    function Get-Text($Node) {
        (@($Node) | Where-Object { $null -ne $_ } | ForEach-Object { if ($_ -is [string]) { $_ } else { $_.Text } }) -join "`n"
    }
}

Describe 'The help file next to the module' {
    It 'is MAML in en-US, with one command per exported cmdlet' {
        $path = Join-Path $module.ModuleBase 'en-US/Mesa.PowerShell.dll-Help.xml'
        $path | Should -Exist
        $xml = [xml](Get-Content -Raw -LiteralPath $path)
        $xml.DocumentElement.LocalName | Should -Be 'helpItems'
        $xml.DocumentElement.NamespaceURI | Should -Be 'http://msh'
        $xml.DocumentElement.GetAttribute('schema') | Should -Be 'maml'
        $ns = [System.Xml.XmlNamespaceManager]::new($xml.NameTable)
        $ns.AddNamespace('command', 'http://schemas.microsoft.com/maml/dev/command/2004/10')
        $names = @($xml.SelectNodes('//command:command/command:details/command:name', $ns) | ForEach-Object InnerText | Sort-Object)
        $names | Should -Be @($module.ExportedCmdlets.Keys | Sort-Object)
    }
}

Describe 'Get-Help <Name> -Full' -ForEach $cmdlets {
    BeforeAll {
        $command = Get-Command -Module Mesa -Name $Name
        $help = Get-Help -Name $Name -Full
        $parameterNames = @($command.Parameters.Keys | Where-Object { $_ -notin $commonParameters })
        $helpParameters = @($help.parameters.parameter | Where-Object { $null -ne $_ })
    }

    It 'comes from the MAML file, not from the cmdlet metadata alone' {
        $help.Name | Should -Be $Name
        $help.ModuleName | Should -Be 'Mesa'
        # Without a help file Get-Help shows no examples and no description at all.
        $help.description | Should -Not -BeNullOrEmpty
    }

    It 'has a synopsis that is a sentence, not the syntax' {
        $synopsis = "$($help.Synopsis)".Trim()
        $synopsis | Should -Not -BeNullOrEmpty
        $synopsis | Should -Not -Match "^$([regex]::Escape($Name))(\s|$)"
        $synopsis | Should -Not -BeLike '*<CommonParameters>*'
        $synopsis.Length | Should -BeGreaterThan 20
    }

    It 'has a description' {
        (Get-Text $help.description).Trim().Length | Should -BeGreaterThan 40
    }

    It 'describes every parameter of the cmdlet (common parameters excepted)' {
        $undescribed = foreach ($parameter in $parameterNames) {
            $entry = $helpParameters | Where-Object name -EQ $parameter
            if (-not $entry -or -not (Get-Text $entry.description).Trim()) { "-$parameter" }
        }
        $undescribed | Should -BeNullOrEmpty -Because "each needs a '### -Name' section in docs/help/$Name.md"
    }

    It 'documents no parameter the cmdlet does not have' {
        $extra = @($helpParameters | Where-Object { $_.name -notin $parameterNames } | ForEach-Object { "-$($_.name)" })
        $extra | Should -BeNullOrEmpty
    }

    It 'shows the syntax of every parameter set as the cmdlet has it' {
        $actual = @($command.ParameterSets | ForEach-Object {
                (@($_.Parameters.Name | Where-Object { $_ -notin $commonParameters }) | Sort-Object) -join ','
            } | Sort-Object)
        $documented = @($help.syntax.syntaxItem | ForEach-Object {
                (@($_.parameter | Where-Object { $null -ne $_ } | ForEach-Object name) | Sort-Object) -join ','
            } | Sort-Object)
        $documented | Should -Be $actual
    }

    It 'states mandatory, position and pipeline input as the cmdlet declares them' {
        # Syntax items come in the generator's order (default set first, then by name): two sets may have the
        # same parameter names (New-MesaEnvelope's Payload and Deliberation sets differ only in pipeline input).
        $ordered = @($command.ParameterSets | Sort-Object { -not $_.IsDefault }, Name)
        $items = @($help.syntax.syntaxItem)
        for ($i = 0; $i -lt $ordered.Count; $i++) {
            $set = $ordered[$i]
            $names = @($set.Parameters.Name | Where-Object { $_ -notin $commonParameters }) | Sort-Object
            $item = $items[$i]
            ((@($item.parameter | Where-Object { $null -ne $_ } | ForEach-Object name) | Sort-Object) -join ',') | Should -Be ($names -join ',') -Because "syntax item $i is set $($set.Name)"
            foreach ($p in $set.Parameters | Where-Object Name -In $names) {
                $entry = $item.parameter | Where-Object name -EQ $p.Name
                $entry.required | Should -Be $p.IsMandatory.ToString().ToLowerInvariant() -Because "-$($p.Name) in set $($set.Name)"
                $position = if ($p.Position -ge 0) { "$($p.Position)" } else { 'named' }
                $entry.position | Should -Be $position -Because "-$($p.Name) in set $($set.Name)"
                $entry.pipelineInput -like '*ByValue*' | Should -Be $p.ValueFromPipeline -Because "-$($p.Name) by value"
                $entry.pipelineInput -like '*ByPropertyName*' | Should -Be $p.ValueFromPipelineByPropertyName -Because "-$($p.Name) by property name"
            }
        }
    }

    It 'has at least one example, and one of them runs the cmdlet' {
        $examples = @($help.examples.example | Where-Object { $null -ne $_ })
        $examples.Count | Should -BeGreaterOrEqual 1
        @($examples | Where-Object { "$($_.code)".Trim() }).Count | Should -Be $examples.Count
        @($examples | Where-Object { $_.code -match "(^|[\s|(;{])$([regex]::Escape($Name))\b" }).Count | Should -BeGreaterOrEqual 1
    }

    It 'has examples that parse as PowerShell and explain themselves' {
        foreach ($example in $help.examples.example) {
            $tokens = $errors = $null
            $null = [System.Management.Automation.Language.Parser]::ParseInput($example.code, [ref]$tokens, [ref]$errors)
            $errors | Should -BeNullOrEmpty -Because "the example '$($example.title.Trim(' -'))' must be valid PowerShell"
            (Get-Text $example.remarks).Trim() | Should -Not -BeNullOrEmpty -Because "the example '$($example.title.Trim(' -'))' needs remarks"
        }
    }
}

Describe 'Get-Help about_Mesa' {
    BeforeAll {
        $topic = Get-Help about_Mesa
        $text = $topic | Out-String
    }

    It 'is found by name, from the en-US folder of the module' {
        Join-Path $module.ModuleBase 'en-US/about_Mesa.help.txt' | Should -Exist
        $text | Should -Match '(?m)^\s*about_Mesa\s*$'
        (Get-Help -Name about_Mesa -Category HelpFile | Out-String) | Should -Be $text
    }

    It 'covers <Subject>' -ForEach @(
        @{ Subject = 'connections and environment variables'; Words = 'Connect-Mesa', '-Connection', 'MESA_URL', 'MESA_ADMIN_TOKEN', 'MESA_PROFILE', 'NoConnection' }
        @{ Subject = 'the profiles'; Words = 'v1', 'v2', 'deliberation_id', 'invalid_signature' }
        @{ Subject = 'errors and how to catch them'; Words = 'MesaForbiddenException', 'FullyQualifiedErrorId', 'OutcomeUnknown', 'InvalidResponse', 'catch [Mesa.Client.', '-ErrorAction Stop' }
        @{ Subject = 'bulk runs'; Words = '-ThrottleLimit', '-JournalPath', '-MaximumRetryCount', 'Export-MesaEnvelope', 'Import-MesaEnvelope' }
        @{ Subject = 'the local server'; Words = 'Start-MesaLocalServer', 'Stop-MesaLocalServer', '-PolicyPath', '-Connect' }
    ) {
        $missing = @($Words | Where-Object { -not $text.Contains($_) })
        $missing | Should -BeNullOrEmpty
    }

    It 'names every cmdlet the module exports' {
        @($module.ExportedCmdlets.Keys | Where-Object { -not $text.Contains($_) }) | Should -BeNullOrEmpty
    }

    It 'reads at 80 columns' {
        $lines = Get-Content -LiteralPath (Join-Path $module.ModuleBase 'en-US/about_Mesa.help.txt')
        @($lines | Where-Object Length -GT 80) | Should -BeNullOrEmpty
    }
}

Describe 'build/New-MesaHelp.ps1 on bad sources' {
    BeforeAll {
        $generator = Join-Path $PSScriptRoot '../../build/New-MesaHelp.ps1'
        # Metadata of one real cmdlet, read once here (in-process: the module is already imported),
        # so each case runs the generator without starting a child pwsh.
        $all = Join-Path $TestDrive 'all.json'
        & $generator -ExportMetadata -ModulePath $manifest -MetadataPath $all
        $metadata = Join-Path $TestDrive 'metadata.json'
        ConvertTo-Json -Depth 8 -InputObject @(Get-Content -Raw $all | ConvertFrom-Json | Where-Object Name -EQ 'New-MesaKeypair') |
            Set-Content -LiteralPath $metadata

        $script:case = 0
        # A valid source for New-MesaKeypair, with the parts a case wants changed.
        function New-Source {
            param(
                [string] $Parameters = "### -PrivateKeyHex`nThe seed to restore.",
                [string] $Examples = "### Example 1: Generate`n``````powershell`nNew-MesaKeypair`n```````nMakes a keypair.",
                [string] $Description = 'Makes or restores an Ed25519 keypair for signing.',
                [hashtable] $Extra = @{}
            )
            $dir = Join-Path $TestDrive "case$((++$script:case))"
            $null = New-Item -ItemType Directory -Path $dir
            Set-Content -LiteralPath (Join-Path $dir 'New-MesaKeypair.md') -Value @"
# New-MesaKeypair

## Synopsis
Creates a keypair.

## Description
$Description

## Parameters

$Parameters

## Examples

$Examples
"@
            foreach ($name in $Extra.Keys) { Set-Content -LiteralPath (Join-Path $dir $name) -Value $Extra[$name] }
            $dir
        }

        function Invoke-Generator([string] $Source) {
            & $generator -SourcePath $Source -OutputPath (Join-Path $Source 'out/en-US') -MetadataPath $metadata 6> $null
        }
    }

    It 'writes MAML for a valid source, escaping XML and keeping the text exact' {
        $tricky = 'Quotes "double" and ''single'', a <tag>, an & and ]]> stay text.'
        $code = "`$k = New-MesaKeypair`nif (1 -lt 2 && `$k) { '<ok>' }"
        $dir = New-Source -Description $tricky -Examples "### Example 1: Tricky`n``````powershell`n$code`n```````n$tricky"
        Invoke-Generator $dir
        $xml = [xml](Get-Content -Raw (Join-Path $dir 'out/en-US/Mesa.PowerShell.dll-Help.xml'))
        $command = $xml.helpItems.command
        $command.details.name | Should -Be 'New-MesaKeypair'
        $command.details.description.para | Should -Be 'Creates a keypair.'
        $command.description.para | Should -Be $tricky
        $command.examples.example.code | Should -Be $code
        $command.parameters.parameter.name | Should -Be 'PrivateKeyHex'
        $command.parameters.parameter.description.para | Should -Be 'The seed to restore.'
    }

    It 'fails when an exported cmdlet has no source' {
        $dir = Join-Path $TestDrive 'empty'
        $null = New-Item -ItemType Directory -Path $dir
        Set-Content -LiteralPath (Join-Path $dir 'README.md') -Value '# not a source'
        { Invoke-Generator $dir } | Should -Throw -ExpectedMessage '*New-MesaKeypair: the module exports it but there is no help source*'
    }

    It 'fails when a parameter has no description' {
        $dir = New-Source -Parameters ''
        { Invoke-Generator $dir } | Should -Throw -ExpectedMessage "*parameter -PrivateKeyHex of New-MesaKeypair has no description*"
    }

    It 'fails when a parameter heading has no text under it' {
        $dir = New-Source -Parameters '### -PrivateKeyHex'
        { Invoke-Generator $dir } | Should -Throw -ExpectedMessage '*parameter -PrivateKeyHex has a heading but no description*'
    }

    It 'fails when there is no example' {
        $dir = New-Source -Examples ''
        { Invoke-Generator $dir } | Should -Throw -ExpectedMessage '*no example*'
    }

    It 'fails when an example has no code block' {
        $dir = New-Source -Examples "### Example 1: Words only`nJust prose."
        { Invoke-Generator $dir } | Should -Throw -ExpectedMessage "*example 'Example 1: Words only' has no fenced code block*"
    }

    It 'fails when a source documents a parameter the cmdlet does not have' {
        $dir = New-Source -Parameters "### -PrivateKeyHex`nThe seed.`n`n### -Bogus`nNot real."
        { Invoke-Generator $dir } | Should -Throw -ExpectedMessage '*documents parameter -Bogus, but New-MesaKeypair has no such parameter*'
    }

    It 'reports every problem in one run' {
        $dir = New-Source -Parameters "### -Bogus`nNot real." -Description ''
        $message = try { Invoke-Generator $dir; '' } catch { $_.Exception.Message }
        $message | Should -BeLike '*3 problem(s)*'
        $message | Should -BeLike "*no '## Description'*"
        $message | Should -BeLike '*-PrivateKeyHex of New-MesaKeypair has no description*'
        $message | Should -BeLike '*documents parameter -Bogus*'
    }

    It 'fails on a title that does not match the file name' {
        $dir = New-Source
        $file = Join-Path $dir 'New-MesaKeypair.md'
        (Get-Content -Raw $file) -replace '^# New-MesaKeypair', '# New-MesaKeyPairs' | Set-Content -LiteralPath $file
        { Invoke-Generator $dir } | Should -Throw -ExpectedMessage "*the title '# New-MesaKeyPairs' does not match the file name*"
    }

    It 'skips, with a warning, a source for a cmdlet the module does not export' {
        $dir = New-Source -Extra @{ 'Get-MesaNothing.md' = "# Get-MesaNothing`n`n## Synopsis`nNot here yet." }
        $warnings = Invoke-Generator $dir 3>&1 | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }
        ($warnings.Message -join "`n") | Should -BeLike '*skipping*Get-MesaNothing.md*does not export Get-MesaNothing*'
        $xml = [xml](Get-Content -Raw (Join-Path $dir 'out/en-US/Mesa.PowerShell.dll-Help.xml'))
        @($xml.helpItems.command).Count | Should -Be 1
    }
}
