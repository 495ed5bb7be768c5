#requires -Version 7.5
<#
.SYNOPSIS
    Packs the laid-out module (out/Mesa) into Mesa.<version>.nupkg with PSResourceGet.
.DESCRIPTION
    Publish-PSResource only publishes to a registered repository, so this script registers a local folder under a
    private, unique name, publishes the module there, and unregisters that name again whatever happens: the
    user's own repositories are never changed. The package lands in -OutputPath; an older package of the same
    version there is replaced. Called by `build.ps1 Package` and by tests/acceptance/Install.Tests.ps1.

    A nupkg keeps neither Unix permissions nor empty folders, and NuGet packing may leave out files whose names
    start with '.': the module layout has none of those that matter (the bundled server runs through `dotnet <dll>`, so no
    executable bit is needed), and the install test checks that every file of the layout comes back.
.PARAMETER ModulePath
    The module folder to pack (the one holding Mesa.psd1). Default: out/Mesa.
.PARAMETER OutputPath
    Where the .nupkg goes. Default: out/packages.
.OUTPUTS
    System.IO.FileInfo: the package.
.EXAMPLE
    ./build/New-MesaPackage.ps1 -ModulePath out/Mesa -OutputPath out/packages
#>
[CmdletBinding()]
[OutputType([System.IO.FileInfo])]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/Mesa'),
    [string] $OutputPath = (Join-Path $PSScriptRoot '../out/packages')
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$ModulePath = [IO.Path]::GetFullPath($ModulePath, (Get-Location).ProviderPath)
$OutputPath = [IO.Path]::GetFullPath($OutputPath, (Get-Location).ProviderPath)
$manifest = Join-Path $ModulePath 'Mesa.psd1'
if (-not (Test-Path -LiteralPath $manifest)) {
    throw "New-MesaPackage: '$manifest' does not exist. Lay the module out first: dotnet pwsh ./build.ps1 Build."
}
$version = (Import-PowerShellDataFile -LiteralPath $manifest).ModuleVersion
$null = New-Item -ItemType Directory -Force -Path $OutputPath
$package = Join-Path $OutputPath "Mesa.$version.nupkg"
if (Test-Path -LiteralPath $package) { Remove-Item -LiteralPath $package -Force }

Import-Module Microsoft.PowerShell.PSResourceGet -ErrorAction Stop
$repository = "MesaBuild-$([guid]::NewGuid().ToString('N'))"
Register-PSResourceRepository -Name $repository -Uri $OutputPath -Trusted
try {
    # No dependencies to check (RequiredModules is empty); skipping the check keeps the build offline.
    Publish-PSResource -Path $ModulePath -Repository $repository -SkipDependenciesCheck
}
finally {
    Unregister-PSResourceRepository -Name $repository
}

if (-not (Test-Path -LiteralPath $package)) {
    throw "New-MesaPackage: Publish-PSResource finished but '$package' is not there."
}
Get-Item -LiteralPath $package
