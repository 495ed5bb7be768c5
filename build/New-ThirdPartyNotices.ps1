#requires -Version 7.5
<#
.SYNOPSIS
    Writes THIRD-PARTY-NOTICES.txt for the packages a built module redistributes.
.DESCRIPTION
    The module folder ships third-party assemblies and natives (NSec, libsodium, Polly, and for the bundled local
    server SQLite, JsonSchema.Net and their dependencies). Their licences ask that the notice travels with the binary,
    so the list is made from the publish outputs' deps.json files (every "package" library they name) rather than
    kept by hand, where it would drift when a package is added. For each package: id, version, licence (the
    nuspec's expression or URL), copyright, project address, and the licence/notice files the package itself carries.
.PARAMETER DepsJson
    The *.deps.json files of the published outputs whose packages end up in the module.
.PARAMETER PackageRoot
    The NuGet global packages folder the build restored from.
.PARAMETER OutputPath
    The file to write.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)][string[]] $DepsJson,
    [Parameter(Mandatory)][string] $PackageRoot,
    [Parameter(Mandatory)][string] $OutputPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$packages = [ordered]@{}
foreach ($file in $DepsJson) {
    $libraries = (Get-Content -Raw -LiteralPath $file | ConvertFrom-Json -AsHashtable).libraries
    foreach ($key in $libraries.Keys) {
        if ($libraries[$key].type -eq 'package') { $packages[$key] = $libraries[$key].path }
    }
}

$text = [Text.StringBuilder]::new()
[void]$text.AppendLine('Third-party software redistributed with the Mesa PowerShell module')
[void]$text.AppendLine('=================================================================')
[void]$text.AppendLine()
[void]$text.AppendLine('The Mesa module itself is under the MIT License (LICENSE). The packages below ship inside it, each')
[void]$text.AppendLine('under its own licence, reproduced or named here as the package states it.')

foreach ($key in $packages.Keys | Sort-Object { ($_ -split '/')[0] }) {
    $id, $version = $key -split '/', 2
    $folder = Join-Path $PackageRoot $packages[$key]
    $nuspecFile = Get-ChildItem -LiteralPath $folder -Filter '*.nuspec' -ErrorAction SilentlyContinue | Select-Object -First 1
    if (-not $nuspecFile) { throw "Package '$key' is not in '$PackageRoot' (restore first): its licence cannot be named." }
    $metadata = ([xml](Get-Content -Raw -LiteralPath $nuspecFile.FullName)).package.metadata
    $licence = if ($metadata.SelectSingleNode("*[local-name()='license']")) { $metadata.license.'#text' } else { $null }
    if (-not $licence -and $metadata.SelectSingleNode("*[local-name()='licenseUrl']")) { $licence = $metadata.licenseUrl }
    if (-not $licence) { throw "Package '$key' states no licence in its nuspec: check it before shipping it." }

    [void]$text.AppendLine().AppendLine(('-' * 78))
    [void]$text.AppendLine("$id $version")
    [void]$text.AppendLine("Licence: $licence")
    foreach ($field in 'copyright', 'projectUrl') {
        if ($metadata.SelectSingleNode("*[local-name()='$field']")) { [void]$text.AppendLine("${field}: $($metadata.$field)") }
    }
    # Only the files the package itself carries at its root (LICENSE, LICENSE.txt, NOTICE…), verbatim.
    Get-ChildItem -LiteralPath $folder -File | Where-Object Name -Match '^(LICENSE|LICENCE|NOTICE|COPYING)(\.(txt|md))?$' |
        Sort-Object Name | ForEach-Object {
            [void]$text.AppendLine().AppendLine("[$($_.Name)]").AppendLine((Get-Content -Raw -LiteralPath $_.FullName).TrimEnd())
        }
}

Set-Content -LiteralPath $OutputPath -Value $text.ToString() -NoNewline -Encoding utf8NoBOM
Get-Item -LiteralPath $OutputPath
