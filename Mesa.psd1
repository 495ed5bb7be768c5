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
    TypesToProcess       = @('Mesa.types.ps1xml')
    CmdletsToExport      = @(
        'Add-MesaTurn'
        'Close-MesaDeliberation'
        'Connect-Mesa'
        'ConvertTo-MesaCanonicalJson'
        'Disconnect-Mesa'
        'Export-MesaEnvelope'
        'Export-MesaKeypair'
        'Get-MesaCommitment'
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
        # No ProjectUri: the project has no public address yet, and the package format takes only an absolute URL
        # there. LicenseUri is the MIT licence's own public text; LICENSE ships in the module folder as well.
        PSData = @{
            LicenseUri   = 'https://opensource.org/license/mit'
            Tags         = @('mesa', 'ed25519', 'signing', 'agents', 'negotiation', 'commitments', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ReleaseNotes = @'
0.1.0
- Cmdlets for mesa connections, keys and principals, capabilities, deliberations and turns, envelopes and commitments.
- v1 and v2 protocol profiles; canonical JSON and Ed25519 signatures compatible with the upstream server.
- A bundled local mesa server (Start-MesaLocalServer) for tests and demos.
- Typed errors with stable error ids; help for every cmdlet and an about_Mesa topic.
- Licensed under the MIT License (LICENSE in the module folder); third-party licences in THIRD-PARTY-NOTICES.txt.
'@
        }
    }
}
