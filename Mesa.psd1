@{
    RootModule           = 'Mesa.PowerShell.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0f3c2e-8a41-4d2b-9a57-3f0e6c1d9b24'
    Author               = 'Mesa.PowerShell contributors'
    CompanyName          = 'Mesa'
    Copyright            = '(c) Mesa.PowerShell contributors. MIT License.'
    Description          = 'PowerShell client for mesa: signed, schema-checked, policy-gated commitments between AI agents.'
    PowerShellVersion    = '7.5'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('Mesa.format.ps1xml')
    CmdletsToExport      = @(
        'Add-MesaTurn'
        'Close-MesaDeliberation'
        'Connect-Mesa'
        'Get-MesaDeliberation'
        'Get-MesaLocalServer'
        'New-MesaDeliberation'
        'New-MesaKeypair'
        'Set-MesaDeliberation'
        'Start-MesaLocalServer'
        'Stop-MesaLocalServer'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('mesa', 'ed25519', 'agents', 'negotiation')
            ProjectUri = 'https://example.invalid/mesa-powershell'
        }
    }
}
