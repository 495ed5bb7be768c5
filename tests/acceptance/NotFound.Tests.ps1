#requires -Version 7.5
# An id that is not on the server (a typo, the wrong server) is an error that names the id, the server and how to
# list what is there; the error id and category stay those of the server's answer (not_found, ObjectNotFound).

BeforeAll {
    . (Join-Path $PSScriptRoot 'AcceptanceHelpers.ps1')
    Import-MesaUnderTest
    if (Get-SkipReason -Needs v2) { return }   # every test here needs a v2 server
    $script:server = Start-TestServer -AdminToken (New-TestAdminToken)
    $script:conn = $server | Connect-Mesa -PassThru
    $script:authority = ([uri]$conn.Uri).GetLeftPart([UriPartial]::Authority)
}

AfterAll {
    Get-MesaLocalServer -ErrorAction SilentlyContinue | Stop-MesaLocalServer -ErrorAction SilentlyContinue
}

Describe 'an id the server does not know' {
    BeforeEach { Skip-Test -Needs v2 }

    It '<Command> names the id, the server and <Lister>' -ForEach @(
        @{ Command = 'Get-MesaDeliberation'; Parameter = 'Id'; Noun = 'deliberation'; Lister = 'Get-MesaDeliberation' }
        @{ Command = 'Get-MesaCommitment'; Parameter = 'DeliberationId'; Noun = 'deliberation'; Lister = 'Get-MesaDeliberation' }
        @{ Command = 'Get-MesaPrincipal'; Parameter = 'Id'; Noun = 'principal'; Lister = 'Get-MesaPrincipal' }
    ) {
        $missing = 'no-such-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        $splat = @{ $Parameter = $missing }
        $result = & $Command @splat -ErrorVariable failed -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike "*,Mesa.PowerShell.Commands.$($Command -replace '-', '')Command"
        $failed[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failed[0].Exception | Should -BeOfType ([Mesa.Client.MesaNotFoundException])
        $failed[0].TargetObject | Should -Be $missing
        $message = "$($failed[0])"
        $message | Should -Match "No $Noun has the id '$missing' on $([regex]::Escape($authority))"
        $failed[0].ErrorDetails.RecommendedAction | Should -Match "^Check the id: $Lister lists"
    }

    It 'an id that exists is still found, next to one that does not' {
        $deal = New-MesaDeliberation -Title 'Found one'
        $found = Get-MesaDeliberation -Id 'missing-one', $deal.Id -ErrorVariable failed -ErrorAction SilentlyContinue
        $found.Id | Should -Be $deal.Id
        $failed | Should -HaveCount 1
        "$($failed[0])" | Should -Match "'missing-one'"
    }
}
