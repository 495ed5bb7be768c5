#requires -Version 7.5
<#
.SYNOPSIS
    Builds the module's MAML help (Mesa.PowerShell.dll-Help.xml) from the Markdown sources in docs/help.
.DESCRIPTION
    PlatyPS is not available here, so this script does its job for the Mesa module:

      1. It reads the metadata of the BUILT cmdlets (parameter sets, types, mandatory, position, pipeline
         input, aliases, valid values, default values, output types). A child pwsh imports the module from
         the manifest next to -OutputPath (out/Mesa/Mesa.psd1), so neither the module nor its load context
         ends up in the calling build process.
      2. It parses docs/help/<Verb-Noun>.md (the format is described in docs/help/README.md).
      3. It merges both into MAML: syntax and parameter metadata come from the cmdlets, every word of prose
         from the Markdown.

    The build fails, naming every problem at once, when an exported cmdlet has no source file, a source lacks
    a synopsis, a description or an example, a parameter of the cmdlet has no description, or a source
    documents a parameter the cmdlet does not have. A source for a cmdlet the module does not export (yet) is
    skipped with a warning. -WhatIf and -Confirm get a stock description unless a source gives its own.
.PARAMETER SourcePath
    The folder holding the <Verb-Noun>.md sources (docs/help).
.PARAMETER OutputPath
    The culture folder to write to (out/Mesa/en-US); created when missing.
.PARAMETER ModulePath
    The manifest of the built module. Default: Mesa.psd1 in the parent folder of -OutputPath.
.PARAMETER MetadataPath
    With -ExportMetadata: where to write the metadata JSON. Otherwise: read the metadata from this JSON file
    instead of starting a child pwsh (the help tests use this to exercise the generator quickly).
.PARAMETER ExportMetadata
    Internal: import -ModulePath in this process and write the exported cmdlets' metadata to -MetadataPath.
    This is what the child pwsh runs.
.EXAMPLE
    ./build/New-MesaHelp.ps1 -SourcePath docs/help -OutputPath out/Mesa/en-US
#>
[CmdletBinding(DefaultParameterSetName = 'Build')]
param(
    [Parameter(Mandatory, ParameterSetName = 'Build')]
    [string] $SourcePath,

    [Parameter(Mandatory, ParameterSetName = 'Build')]
    [string] $OutputPath,

    [Parameter(ParameterSetName = 'Build')]
    [Parameter(Mandatory, ParameterSetName = 'Export')]
    [string] $ModulePath,

    [Parameter(ParameterSetName = 'Build')]
    [Parameter(Mandatory, ParameterSetName = 'Export')]
    [string] $MetadataPath,

    [Parameter(Mandatory, ParameterSetName = 'Export')]
    [switch] $ExportMetadata
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$HelpFileName = 'Mesa.PowerShell.dll-Help.xml'
$Ns = @{
    msh     = 'http://msh'
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
    MSHelp  = 'http://msdn.microsoft.com/mshelp'
}
$KnownSections = 'Synopsis', 'Description', 'Parameters', 'Examples', 'Inputs', 'Outputs', 'Notes', 'Related links'
# Parameters PowerShell adds for SupportsShouldProcess: documented here unless a source says otherwise.
$StockDescriptions = [ordered]@{
    WhatIf  = 'Shows what the cmdlet would do, without doing it: nothing is changed and no change is sent to the server.'
    Confirm = 'Asks for confirmation before the cmdlet makes its change.'
}

#region Metadata of the built cmdlets

# Runs in the child pwsh: everything Get-Help needs to know about each exported cmdlet, as plain data.
function Export-CmdletMetadata {
    param([string] $Manifest, [string] $Destination)

    $module = Import-Module $Manifest -PassThru -ErrorAction Stop
    $common = [System.Management.Automation.Cmdlet]::CommonParameters
    $result = foreach ($name in @($module.ExportedCmdlets.Keys | Sort-Object)) {
        $command = $module.ExportedCmdlets[$name]
        $defaults = Get-DefaultValues $command
        $sets = foreach ($set in $command.ParameterSets) {
            [ordered]@{
                Name       = $set.Name
                IsDefault  = $set.IsDefault
                Parameters = @(foreach ($p in $set.Parameters) {
                        if ($common -contains $p.Name) { continue }
                        [ordered]@{
                            Name           = $p.Name
                            Mandatory      = $p.IsMandatory
                            Position       = $p.Position
                            ByValue        = $p.ValueFromPipeline
                            ByPropertyName = $p.ValueFromPipelineByPropertyName
                            Remaining      = $p.ValueFromRemainingArguments
                        }
                    })
            }
        }
        $parameters = foreach ($p in $command.Parameters.Values) {
            if ($common -contains $p.Name) { continue }
            $type = $p.ParameterType
            $element = if ($type.IsArray) { $type.GetElementType() } else { $type }
            $element = [Nullable]::GetUnderlyingType($element) ?? $element
            $validValues = @(
                $p.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } |
                    ForEach-Object { $_.ValidValues }
            )
            if ($validValues.Count -eq 0 -and $element.IsEnum) { $validValues = [Enum]::GetNames($element) }
            [ordered]@{
                Name        = $p.Name
                TypeName    = $type.FullName
                ShortType   = Get-ShortTypeName $type
                IsSwitch    = $p.SwitchParameter
                IsArray     = $type.IsArray
                Aliases     = @($p.Aliases)
                ValidValues = @($validValues)
                Wildcards   = [bool]($p.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
                Default     = $defaults[$p.Name]
            }
        }
        [ordered]@{
            Name        = $command.Name
            Verb        = $command.Verb
            Noun        = $command.Noun
            OutputTypes = @($command.OutputType | ForEach-Object { $_.Name })
            Parameters  = @($parameters)
            Sets        = @($sets)
        }
    }
    ConvertTo-Json -InputObject @($result) -Depth 8 | Set-Content -LiteralPath $Destination -Encoding utf8NoBOM
}

function Get-ShortTypeName([type] $Type) {
    if ($Type.IsArray) { return (Get-ShortTypeName $Type.GetElementType()) + '[]' }
    $inner = [Nullable]::GetUnderlyingType($Type)
    if ($inner) { return Get-ShortTypeName $inner }
    $Type.Name
}

# What a fresh instance of the cmdlet holds in each parameter property: the value used when it is not given.
function Get-DefaultValues($Command) {
    $values = @{}
    try { $instance = [Activator]::CreateInstance($Command.ImplementingType) }
    catch { return $values }
    try {
        foreach ($p in $Command.Parameters.Values) {
            $property = $Command.ImplementingType.GetProperty($p.Name)
            if (-not $property -or -not $property.CanRead) { continue }
            $value = $property.GetValue($instance)
            $values[$p.Name] =
                if ($null -eq $value) { 'None' }
                elseif ($value -is [System.Management.Automation.SwitchParameter]) { "$($value.IsPresent)" }
                elseif ($value -is [string] -or $value -is [enum] -or $value -is [uri] -or $value.GetType().IsPrimitive) {
                    [System.Convert]::ToString($value, [cultureinfo]::InvariantCulture)
                }
                else { 'None' }
        }
    }
    finally { if ($instance -is [IDisposable]) { $instance.Dispose() } }
    $values
}

# The pwsh that runs this script, for the child process: pwsh itself, or 'dotnet pwsh.dll' for the dotnet tool.
function Get-PwshInvocation {
    $exe = (Get-Process -Id $PID).Path
    if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'pwsh') { return [pscustomobject]@{ File = $exe; Arguments = @() } }
    $dll = Join-Path $PSHOME 'pwsh.dll'
    if (Test-Path -LiteralPath $dll) { return [pscustomobject]@{ File = $exe; Arguments = @($dll) } }
    throw "Cannot tell how to start a child pwsh: this process is '$exe' and '$dll' does not exist."
}

function Read-CmdletMetadata {
    param([string] $Manifest, [string] $JsonPath)

    if (-not $JsonPath) {
        if (-not (Test-Path -LiteralPath $Manifest)) {
            throw "New-MesaHelp: the module manifest '$Manifest' does not exist. Lay the module out first (build.ps1 Build), or pass -ModulePath."
        }
        $JsonPath = Join-Path ([IO.Path]::GetTempPath()) "mesa-help-metadata-$PID-$([guid]::NewGuid().ToString('N')).json"
        $pwsh = Get-PwshInvocation
        $prefix = $pwsh.Arguments
        try {
            $output = & $pwsh.File @prefix -NoProfile -NonInteractive -File $PSCommandPath -ExportMetadata -ModulePath $Manifest -MetadataPath $JsonPath 2>&1
            if ($LASTEXITCODE -ne 0 -or -not (Test-Path -LiteralPath $JsonPath)) {
                throw "New-MesaHelp: reading the cmdlets of '$Manifest' in a child pwsh failed (exit code $LASTEXITCODE):`n$($output -join "`n")"
            }
            return @(Get-Content -Raw -LiteralPath $JsonPath | ConvertFrom-Json)
        }
        finally { Remove-Item -LiteralPath $JsonPath -ErrorAction SilentlyContinue }
    }
    @(Get-Content -Raw -LiteralPath $JsonPath | ConvertFrom-Json)
}

#endregion

#region Markdown sources

# Splits prose into paragraphs: blank lines separate them, each list item is one, wrapped lines are joined,
# and a fenced block stays one paragraph with its line breaks.
function ConvertTo-Paragraph {
    param([string[]] $Lines)

    $paragraphs = [System.Collections.Generic.List[string]]::new()
    $current = [System.Collections.Generic.List[string]]::new()
    $fence = $null
    $block = $null
    $flush = {
        if ($current.Count -gt 0) { $paragraphs.Add(($current -join ' ')); $current.Clear() }
    }
    foreach ($line in $Lines) {
        if ($null -ne $fence) {
            if ($line -match '^\s*(```+|~~~+)\s*$' -and $Matches[1] -eq $fence) {
                $paragraphs.Add(($block -join "`n")); $fence = $null
            }
            else { $block.Add('    ' + $line) }
            continue
        }
        if ($line -match '^\s*(```+|~~~+)') {
            & $flush
            $fence = $Matches[1]; $block = [System.Collections.Generic.List[string]]::new()
            continue
        }
        if ($line -match '^\s*$') { & $flush; continue }
        if ($line -match '^\s*([-*+]|\d+[.)])\s+') { & $flush }
        $current.Add($line.Trim())
    }
    if ($null -ne $fence) { $paragraphs.Add(($block -join "`n")) }
    & $flush
    , $paragraphs.ToArray()
}

# Parses one source file into its sections. Problems are collected, not thrown, so one run reports them all.
function Read-HelpSource {
    param([System.IO.FileInfo] $File)

    $problems = [System.Collections.Generic.List[string]]::new()
    $source = [ordered]@{
        Name        = $null
        File        = $File.FullName
        Synopsis    = $null
        Description = @()
        Parameters  = [ordered]@{}
        Examples    = [System.Collections.Generic.List[object]]::new()
        Inputs      = [System.Collections.Generic.List[object]]::new()
        Outputs     = [System.Collections.Generic.List[object]]::new()
        Notes       = @()
        Links       = [System.Collections.Generic.List[object]]::new()
        Problems    = $problems
    }

    # First pass: cut the file into (section, subsection, lines), ignoring '#' lines inside code fences.
    $chunks = [System.Collections.Generic.List[object]]::new()
    $chunk = $null
    $section = $null
    $fence = $null
    $lineNumber = 0
    foreach ($line in [IO.File]::ReadAllLines($File.FullName)) {
        $lineNumber++
        if ($null -ne $fence) {
            if ($line -match '^\s*(```+|~~~+)\s*$' -and $Matches[1] -eq $fence) { $fence = $null }
        }
        elseif ($line -match '^\s*(```+|~~~+)') { $fence = $Matches[1] }
        elseif ($line -match '^#\s+(.+?)\s*$') {
            if ($source.Name) { $problems.Add("line ${lineNumber}: a second '# title'; only one per file.") }
            $source.Name = $Matches[1]
            continue
        }
        elseif ($line -match '^##\s+(.+?)\s*$') {
            $section = $KnownSections | Where-Object { $_ -eq $Matches[1] } | Select-Object -First 1
            if (-not $section) {
                $problems.Add("line ${lineNumber}: unknown section '## $($Matches[1])'; use one of: $($KnownSections -join ', ').")
                $section = '?'
            }
            $chunk = [pscustomobject]@{ Section = $section; Title = $null; Line = $lineNumber; Lines = [System.Collections.Generic.List[string]]::new() }
            $chunks.Add($chunk)
            continue
        }
        elseif ($line -match '^###\s+(.+?)\s*$') {
            if (-not $section) { $problems.Add("line ${lineNumber}: '### $($Matches[1])' outside any '## section'.") ; $section = '?' }
            $chunk = [pscustomobject]@{ Section = $section; Title = $Matches[1]; Line = $lineNumber; Lines = [System.Collections.Generic.List[string]]::new() }
            $chunks.Add($chunk)
            continue
        }
        if ($chunk) { $chunk.Lines.Add($line) }
        elseif ($line.Trim()) { $problems.Add("line ${lineNumber}: text before the first '## section'.") }
    }
    if ($null -ne $fence) { $problems.Add("a code fence ($fence) is never closed.") }

    $expected = $File.BaseName
    if (-not $source.Name) { $problems.Add("no '# $expected' title line.") }
    elseif ($source.Name -ne $expected) { $problems.Add("the title '# $($source.Name)' does not match the file name; it must be '# $expected'.") }

    # Second pass: interpret each chunk.
    foreach ($c in $chunks) {
        $text = ConvertTo-Paragraph $c.Lines
        switch ($c.Section) {
            'Synopsis' {
                if ($c.Title) { $problems.Add("line $($c.Line): '## Synopsis' takes no '###' subsections."); break }
                $source.Synopsis = ($text -join ' ').Trim()
            }
            'Description' {
                if ($c.Title) { $problems.Add("line $($c.Line): '## Description' takes no '###' subsections."); break }
                $source.Description = $text
            }
            'Notes' {
                if ($c.Title) { $problems.Add("line $($c.Line): '## Notes' takes no '###' subsections."); break }
                $source.Notes = $text
            }
            'Parameters' {
                if (-not $c.Title) {
                    if ($text.Count) { $problems.Add("line $($c.Line): text under '## Parameters' belongs in a '### -Name' subsection.") }
                    break
                }
                if ($c.Title -notmatch '^-([A-Za-z][A-Za-z0-9_]*)$') {
                    $problems.Add("line $($c.Line): a parameter heading must look like '### -Name', not '### $($c.Title)'."); break
                }
                $name = $Matches[1]
                if ($source.Parameters.Contains($name)) { $problems.Add("line $($c.Line): parameter -$name is documented twice."); break }
                if ($text.Count -eq 0) { $problems.Add("line $($c.Line): parameter -$name has a heading but no description.") }
                $source.Parameters[$name] = $text
            }
            'Examples' {
                if (-not $c.Title) {
                    if ($text.Count) { $problems.Add("line $($c.Line): text under '## Examples' belongs in a '### Example N: title' subsection.") }
                    break
                }
                $example = Read-Example $c.Lines
                if (-not $example.Code.Trim()) { $problems.Add("line $($c.Line): example '$($c.Title)' has no fenced code block."); break }
                $source.Examples.Add([pscustomobject]@{ Title = $c.Title; Code = $example.Code; Remarks = $example.Remarks })
            }
            { $_ -in 'Inputs', 'Outputs' } {
                if (-not $c.Title) {
                    if ($text.Count) { $problems.Add("line $($c.Line): text under '## $_' belongs in a '### TypeName' subsection.") }
                    break
                }
                $source[$_].Add([pscustomobject]@{ Type = $c.Title; Description = $text })
            }
            'Related links' {
                foreach ($line in $c.Lines) {
                    if ($line -match '^\s*[-*]\s+\[(?<text>[^\]]+)\]\((?<uri>[^)]*)\)\s*$') {
                        $source.Links.Add([pscustomobject]@{ Text = $Matches.text; Uri = $Matches.uri })
                    }
                    elseif ($line -match '^\s*[-*]\s+(?<text>\S.*?)\s*$') {
                        $source.Links.Add([pscustomobject]@{ Text = $Matches.text; Uri = '' })
                    }
                    elseif ($line.Trim()) { $problems.Add("line $($c.Line): related links are list items ('- Name' or '- [Text](uri)'), not '$($line.Trim())'.") }
                }
            }
        }
    }

    if (-not $source.Synopsis) { $problems.Add("no '## Synopsis' (one sentence saying what the cmdlet does).") }
    if ($source.Description.Count -eq 0) { $problems.Add("no '## Description'.") }
    if ($source.Examples.Count -eq 0) { $problems.Add("no example: add '## Examples' with a '### Example 1: ...' holding a fenced code block.") }
    [pscustomobject]$source
}

# An example: the first fenced block is the code; everything around it is the remarks.
function Read-Example {
    param([string[]] $Lines)

    $code = [System.Collections.Generic.List[string]]::new()
    $rest = [System.Collections.Generic.List[string]]::new()
    $state = 'before'
    $fence = $null
    foreach ($line in $Lines) {
        switch ($state) {
            'before' {
                if ($line -match '^\s*(```+|~~~+)') { $fence = $Matches[1]; $state = 'code' }
                else { $rest.Add($line) }
            }
            'code' {
                if ($line -match '^\s*(```+|~~~+)\s*$' -and $Matches[1] -eq $fence) { $state = 'after' }
                else { $code.Add($line) }
            }
            'after' { $rest.Add($line) }
        }
    }
    [pscustomobject]@{ Code = ($code -join "`n").TrimEnd(); Remarks = ConvertTo-Paragraph $rest }
}

#endregion

#region Merge and MAML

function Get-PipelineInput($Uses) {
    $kinds = @(
        if ($Uses | Where-Object ByValue) { 'ByValue' }
        if ($Uses | Where-Object ByPropertyName) { 'ByPropertyName' }
    )
    if ($kinds.Count) { "True ($($kinds -join ', '))" } else { 'False' }
}

function Get-PositionText($Uses) {
    $positions = @($Uses | Where-Object { $_.Position -ge 0 } | ForEach-Object Position | Sort-Object -Unique)
    if ($positions.Count) { [string]$positions[0] } else { 'named' }
}

# Every parameter of a cmdlet with the uses (one per parameter set) that tell mandatory, position, pipeline.
function Get-ParameterView($Command) {
    $shouldProcess = @('WhatIf', 'Confirm')
    $view = [ordered]@{}
    foreach ($p in $Command.Parameters) {
        $uses = @($Command.Sets | ForEach-Object { $_.Parameters | Where-Object Name -EQ $p.Name })
        $view[$p.Name] = [pscustomobject]@{
            Meta     = $p
            Uses     = $uses
            Required = ($uses.Count -gt 0 -and -not ($uses | Where-Object { -not $_.Mandatory }))
            IsStock  = $p.Name -in $shouldProcess
        }
    }
    $view
}

function Write-Paragraphs([System.Xml.XmlWriter] $Writer, [string[]] $Paragraphs) {
    $Writer.WriteStartElement('maml', 'description', $Ns.maml)
    foreach ($para in $Paragraphs) { $Writer.WriteElementString('maml', 'para', $Ns.maml, $para) }
    $Writer.WriteEndElement()
}

function Write-TypeElement([System.Xml.XmlWriter] $Writer, [string] $Name) {
    $Writer.WriteStartElement('dev', 'type', $Ns.dev)
    $Writer.WriteElementString('maml', 'name', $Ns.maml, $Name)
    $Writer.WriteElementString('maml', 'uri', $Ns.maml, '')
    $Writer.WriteEndElement()
}

function Write-ParameterElement {
    param([System.Xml.XmlWriter] $Writer, $Parameter, [string[]] $Description, [bool] $Required, [string] $Position, [string] $PipelineInput)

    $meta = $Parameter.Meta
    $Writer.WriteStartElement('command', 'parameter', $Ns.command)
    $Writer.WriteAttributeString('required', $Required.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('variableLength', $meta.IsArray.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('globbing', $meta.Wildcards.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('pipelineInput', $PipelineInput)
    $Writer.WriteAttributeString('position', $Position)
    $Writer.WriteAttributeString('aliases', $(if ($meta.Aliases.Count) { $meta.Aliases -join ', ' } else { 'none' }))
    $Writer.WriteElementString('maml', 'name', $Ns.maml, $meta.Name)
    Write-Paragraphs $Writer $Description
    if (-not $meta.IsSwitch) {
        if ($meta.ValidValues.Count) {
            $Writer.WriteStartElement('command', 'parameterValueGroup', $Ns.command)
            foreach ($value in $meta.ValidValues) {
                $Writer.WriteStartElement('command', 'parameterValue', $Ns.command)
                $Writer.WriteAttributeString('required', 'false')
                $Writer.WriteAttributeString('variableLength', 'false')
                $Writer.WriteString($value)
                $Writer.WriteEndElement()
            }
            $Writer.WriteEndElement()
        }
        $Writer.WriteStartElement('command', 'parameterValue', $Ns.command)
        $Writer.WriteAttributeString('required', 'true')
        $Writer.WriteAttributeString('variableLength', $meta.IsArray.ToString().ToLowerInvariant())
        $Writer.WriteString($meta.ShortType)
        $Writer.WriteEndElement()
    }
    Write-TypeElement $Writer $meta.TypeName
    $default = if ($meta.Default) { $meta.Default } elseif ($meta.IsSwitch) { 'False' } else { 'None' }
    $Writer.WriteElementString('dev', 'defaultValue', $Ns.dev, $default)
    $Writer.WriteEndElement()
}

# Syntax order like Get-Command's: positional ones by position, then mandatory, then the rest, then ShouldProcess.
function Get-SyntaxOrder($Set, $View) {
    $entries = @($Set.Parameters | Where-Object { $View.Contains($_.Name) })
    $i = 0
    $entries | ForEach-Object {
        $rank = if ($View[$_.Name].IsStock) { 3 } elseif ($_.Position -ge 0) { 0 } elseif ($_.Mandatory) { 1 } else { 2 }
        [pscustomobject]@{ Entry = $_; Rank = $rank; Position = $_.Position; Index = $i++ }
    } | Sort-Object Rank, Position, Index | ForEach-Object Entry
}

function Write-CommandHelp {
    param([System.Xml.XmlWriter] $Writer, $Command, $Source)

    $view = Get-ParameterView $Command
    $descriptionOf = @{}
    foreach ($name in $view.Keys) {
        $descriptionOf[$name] = if ($Source.Parameters.Contains($name)) { $Source.Parameters[$name] } else { @($StockDescriptions[$name]) }
    }

    $Writer.WriteStartElement('command', 'command', $Ns.command)
    foreach ($prefix in 'maml', 'command', 'dev', 'MSHelp') {
        $Writer.WriteAttributeString('xmlns', $prefix, 'http://www.w3.org/2000/xmlns/', $Ns[$prefix])
    }

    $Writer.WriteStartElement('command', 'details', $Ns.command)
    $Writer.WriteElementString('command', 'name', $Ns.command, $Command.Name)
    $Writer.WriteElementString('command', 'verb', $Ns.command, $Command.Verb)
    $Writer.WriteElementString('command', 'noun', $Ns.command, $Command.Noun)
    Write-Paragraphs $Writer @($Source.Synopsis)
    $Writer.WriteEndElement()

    Write-Paragraphs $Writer $Source.Description

    $Writer.WriteStartElement('command', 'syntax', $Ns.command)
    $sets = @($Command.Sets | Sort-Object { -not $_.IsDefault }, Name)
    foreach ($set in $sets) {
        $Writer.WriteStartElement('command', 'syntaxItem', $Ns.command)
        $Writer.WriteElementString('maml', 'name', $Ns.maml, $Command.Name)
        foreach ($entry in Get-SyntaxOrder $set $view) {
            $position = if ($entry.Position -ge 0) { [string]$entry.Position } else { 'named' }
            Write-ParameterElement $Writer $view[$entry.Name] $descriptionOf[$entry.Name] $entry.Mandatory $position (Get-PipelineInput @($entry))
        }
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'parameters', $Ns.command)
    foreach ($name in $view.Keys) {
        $p = $view[$name]
        Write-ParameterElement $Writer $p $descriptionOf[$name] $p.Required (Get-PositionText $p.Uses) (Get-PipelineInput $p.Uses)
    }
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'inputTypes', $Ns.command)
    $inputs = if ($Source.Inputs.Count) { $Source.Inputs } else { @([pscustomobject]@{ Type = 'None'; Description = @('This cmdlet takes no pipeline input.') }) }
    foreach ($item in $inputs) {
        $Writer.WriteStartElement('command', 'inputType', $Ns.command)
        Write-TypeElement $Writer $item.Type
        Write-Paragraphs $Writer $item.Description
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'returnValues', $Ns.command)
    $outputs = if ($Source.Outputs.Count) { $Source.Outputs } else { @($Command.OutputTypes | ForEach-Object { [pscustomobject]@{ Type = $_; Description = @() } }) }
    foreach ($item in $outputs) {
        $Writer.WriteStartElement('command', 'returnValue', $Ns.command)
        Write-TypeElement $Writer $item.Type
        Write-Paragraphs $Writer $item.Description
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    if ($Source.Notes.Count) {
        $Writer.WriteStartElement('maml', 'alertSet', $Ns.maml)
        $Writer.WriteStartElement('maml', 'alert', $Ns.maml)
        foreach ($para in $Source.Notes) { $Writer.WriteElementString('maml', 'para', $Ns.maml, $para) }
        $Writer.WriteEndElement()
        $Writer.WriteEndElement()
    }

    $Writer.WriteStartElement('command', 'examples', $Ns.command)
    foreach ($example in $Source.Examples) {
        $Writer.WriteStartElement('command', 'example', $Ns.command)
        $Writer.WriteElementString('maml', 'title', $Ns.maml, "-------------------------- $($example.Title) --------------------------")
        $Writer.WriteElementString('dev', 'code', $Ns.dev, $example.Code)
        $Writer.WriteStartElement('dev', 'remarks', $Ns.dev)
        foreach ($para in $example.Remarks) { $Writer.WriteElementString('maml', 'para', $Ns.maml, $para) }
        # An empty paragraph keeps a blank line between one example's remarks and the next title.
        $Writer.WriteElementString('maml', 'para', $Ns.maml, '')
        $Writer.WriteEndElement()
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('maml', 'relatedLinks', $Ns.maml)
    foreach ($link in $Source.Links) {
        $Writer.WriteStartElement('maml', 'navigationLink', $Ns.maml)
        $Writer.WriteElementString('maml', 'linkText', $Ns.maml, $link.Text)
        $Writer.WriteElementString('maml', 'uri', $Ns.maml, $link.Uri)
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteEndElement() # command:command
}

#endregion

if ($PSCmdlet.ParameterSetName -eq 'Export') {
    Export-CmdletMetadata -Manifest (Resolve-Path -LiteralPath $ModulePath).ProviderPath -Destination $MetadataPath
    return
}

$SourcePath = [IO.Path]::GetFullPath($SourcePath, (Get-Location).ProviderPath)
$OutputPath = [IO.Path]::GetFullPath($OutputPath, (Get-Location).ProviderPath)
if (-not $ModulePath) { $ModulePath = Join-Path (Split-Path $OutputPath -Parent) 'Mesa.psd1' }
$ModulePath = [IO.Path]::GetFullPath($ModulePath, (Get-Location).ProviderPath)
if (-not (Test-Path -LiteralPath $SourcePath -PathType Container)) {
    throw "New-MesaHelp: the help source folder '$SourcePath' does not exist."
}

$commands = Read-CmdletMetadata -Manifest $ModulePath -JsonPath $MetadataPath
# Sources are the files named like a cmdlet (Verb-Noun.md); README.md and the like are not sources.
$sources = @{}
foreach ($file in Get-ChildItem -LiteralPath $SourcePath -Filter *.md -File | Where-Object { $_.BaseName -match '^[A-Za-z]+-[A-Za-z]+$' }) {
    $sources[$file.BaseName] = $file
}

$problems = [System.Collections.Generic.List[string]]::new()
$merged = [System.Collections.Generic.List[object]]::new()
foreach ($command in $commands | Sort-Object Name) {
    $file = $sources[$command.Name]
    if (-not $file) {
        $problems.Add("$($command.Name): the module exports it but there is no help source; create $(Join-Path $SourcePath "$($command.Name).md") (format: docs/help/README.md).")
        continue
    }
    $source = Read-HelpSource $file
    foreach ($p in $source.Problems) { $problems.Add("$($file.FullName): $p") }

    $actual = @($command.Parameters | ForEach-Object Name)
    foreach ($name in $actual) {
        if ($StockDescriptions.Contains($name)) { continue }
        if (-not $source.Parameters.Contains($name)) {
            $problems.Add("$($file.FullName): parameter -$name of $($command.Name) has no description; add a '### -$name' section under '## Parameters'.")
        }
    }
    foreach ($name in $source.Parameters.Keys) {
        if ($actual -notcontains $name) {
            $problems.Add("$($file.FullName): documents parameter -$name, but $($command.Name) has no such parameter (it has: $(($actual | ForEach-Object { "-$_" }) -join ', ')).")
        }
    }
    # Outputs are prose, but a type the cmdlet declares and the source never mentions is probably a stale source.
    $documentedOutputs = @($source.Outputs | ForEach-Object Type)
    foreach ($type in $command.OutputTypes) {
        $shown = if ($type -eq 'System.Void') { 'None' } else { $type }
        if ($source.Outputs.Count -and $documentedOutputs -notcontains $shown) {
            Write-Warning "New-MesaHelp: $($file.FullName): $($command.Name) declares [OutputType($type)] but '## Outputs' has no '### $shown'."
        }
    }
    $merged.Add([pscustomobject]@{ Command = $command; Source = $source })
}

$exported = @($commands | ForEach-Object Name)
foreach ($name in $sources.Keys | Sort-Object) {
    if ($exported -notcontains $name) {
        Write-Warning "New-MesaHelp: skipping $($sources[$name].FullName): the module does not export $name."
    }
}

if ($problems.Count) {
    throw "New-MesaHelp: the help sources have $($problems.Count) problem(s):`n  $($problems -join "`n  ")"
}

$null = New-Item -ItemType Directory -Force -Path $OutputPath
$target = Join-Path $OutputPath $HelpFileName
$settings = [System.Xml.XmlWriterSettings]@{
    Indent             = $true
    Encoding           = [System.Text.UTF8Encoding]::new($false)
    NewLineChars       = "`n"
    NewLineHandling    = 'Replace'
    CheckCharacters    = $true
}
$writer = [System.Xml.XmlWriter]::Create($target, $settings)
try {
    $writer.WriteStartDocument()
    $writer.WriteStartElement('helpItems', $Ns.msh)
    $writer.WriteAttributeString('schema', 'maml')
    foreach ($item in $merged) { Write-CommandHelp -Writer $writer -Command $item.Command -Source $item.Source }
    $writer.WriteEndElement()
    $writer.WriteEndDocument()
}
finally { $writer.Dispose() }

Write-Host "Help: $($merged.Count) cmdlet(s) -> $target"
