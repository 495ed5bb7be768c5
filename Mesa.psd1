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
        'ConvertTo-MesaCanonicalJson'
        'Disconnect-Mesa'
        'Export-MesaEnvelope'
        'Export-MesaKeypair'
        'Get-MesaConnection'
        'Get-MesaDeliberation'
        'Get-MesaLocalServer'
        'Get-MesaPrincipal'
        'Import-MesaEnvelope'
        'Import-MesaKeypair'
        'New-MesaDeliberation'
        'New-MesaEnvelope'
        'New-MesaKeypair'
        'New-MesaPrincipal'
        'Set-MesaCapability'
        'Set-MesaDeliberation'
        'Start-MesaLocalServer'
        'Stop-MesaLocalServer'
        'Submit-MesaCommitment'
        'Test-MesaConnection'
        'Test-MesaEnvelope'
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
