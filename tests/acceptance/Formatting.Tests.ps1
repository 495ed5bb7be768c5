#requires -Version 7.5
# Format views (Mesa.format.ps1xml): what Out-String shows for principals, commitments, decisions, deliberations,
# the transcript-like detail, keypairs and envelopes; colour only when rendering allows it.

BeforeAll {
    . (Join-Path $PSScriptRoot 'AcceptanceHelpers.ps1')
    Import-MesaUnderTest
    $script:token = New-TestAdminToken
    $script:policyFile = New-TestPolicyFile -Path (Join-Path $TestDrive 'policies.json')
    $script:server = Start-TestServer -AdminToken $token -PolicyPath $policyFile
    $script:server | Connect-Mesa
    $script:author = New-TestPrincipal -Org 'format-org' -Capability offer
    $script:d = New-MesaDeliberation -Title 'Format check' -CounterpartySlug 'umbrella' -Stage scope
    $null = Add-MesaTurn -DeliberationId $d.Id -Content 'Opening: we want the archive.' -EmittedBy $author.Id -Keypair $author.Keypair
    $null = Add-MesaTurn -DeliberationId $d.Id -Content 'Reply: only the last five years.' -EmittedBy $author.Id -Keypair $author.Keypair
    function Submit-Offer([hashtable] $Terms) {
        New-MesaEnvelope -Type offer -EmittedBy $author.Id -DeliberationId $d.Id -Payload (New-OfferPayload -Terms $Terms) -Keypair $author.Keypair | Submit-MesaCommitment
    }
    $script:active = Submit-Offer @{ fee_total_usd = 10 }
    $script:flagged = Submit-Offer @{ fee_total_usd = 99999 }
    $script:routed = Submit-Offer @{ fee_total_usd = 99999; term_months = 60 }
    $script:envelope = New-MesaEnvelope -Type offer -EmittedBy $author.Id -DeliberationId $d.Id -Payload (New-OfferPayload) -Keypair $author.Keypair
    $script:esc = [string][char]27
    $script:savedRendering = $PSStyle.OutputRendering
}

AfterAll {
    $PSStyle.OutputRendering = $script:savedRendering
    if ($script:server) { Stop-MesaLocalServer -Server $script:server }
}

Describe 'views with PlainText rendering' {
    BeforeAll { $PSStyle.OutputRendering = 'PlainText' }
    AfterAll { $PSStyle.OutputRendering = $script:savedRendering }

    It 'shows commitments as a table: status and the policies that fired (the action is a property)' {
        $text = $active, $flagged, $routed | Out-String -Width 250
        $text | Should -Match 'Status'
        $text | Should -Match 'Policies'
        $text | Should -Match '\bactive\b'
        $text | Should -Match '\bflagged\b'
        $active.Action | Should -Be 'allow'
        $routed.Action | Should -Be 'route'
        $routed.Policies | Should -Be @('flag-large-spend', 'route-long-term')
        $text | Should -Match 'flag-large-spend'
        $text | Should -Match 'route-long-term'
        $text | Should -Match 'offer'
        $text.Contains($esc) | Should -BeFalse
        # A table: one header, then one line per commitment.
        @($text -split "`n" | Where-Object { $_ -match '\b(active|flagged)\b' }).Count | Should -Be 3
    }

    It 'shows a decision as a list with each applied policy (name, action, route_to)' {
        $text = $routed.Decision | Out-String
        $text | Should -Match 'route'
        $text | Should -Match 'flag-large-spend'
        $text | Should -Match 'route-long-term'
        $text | Should -Match 'legal-review'
        $text.Contains($esc) | Should -BeFalse
    }

    It 'shows principals as a table' {
        $text = Get-MesaPrincipal -Id $author.Id | Out-String -Width 250
        $text | Should -Match 'format-org'
        $text | Should -Match $author.Id.Substring(0, 8)
        $text | Should -Match 'offer'
        $text.Contains($esc) | Should -BeFalse
    }

    It 'shows deliberations as a table: Id, Title, Stage, Status (the counterparty in Format-List)' {
        $text = Get-MesaDeliberation | Out-String -Width 250
        $header = ($text -split "`n" | Where-Object { $_ -match '\bTitle\b' } | Select-Object -First 1)
        foreach ($column in 'Id', 'Title', 'Stage', 'Status') { $header | Should -Match "\b$column\b" }
        $text | Should -Match 'Format check'
        Get-MesaDeliberation -Id $d.Id | Format-List | Out-String | Should -Match 'CounterpartySlug\s+:\s+umbrella'
        $text | Should -Match 'scope'
        $text.Contains($esc) | Should -BeFalse
    }

    It 'shows the detail as a transcript (index, speaker, content) followed by the commitments (type, status)' {
        $text = Get-MesaDeliberation -Id $d.Id | Out-String -Width 250
        $first = $text.IndexOf('Opening: we want the archive.')
        $second = $text.IndexOf('Reply: only the last five years.')
        $first | Should -BeGreaterThan -1
        $second | Should -BeGreaterThan $first
        $text | Should -Match ('0\b.*' + [regex]::Escape($author.Id.Substring(0, 8)) + '.*Opening')
        $text | Should -Match '1\b.*Reply: only the last five years\.'
        $afterTurns = $text.Substring($second)
        $afterTurns | Should -Match 'offer'
        $afterTurns | Should -Match '\bactive\b'
        $afterTurns | Should -Match '\bflagged\b'
        $text.Contains($esc) | Should -BeFalse
    }

    It 'shows a turn with its index, speaker and content' {
        $t = Add-MesaTurn -DeliberationId $d.Id -Content 'A turn on its own.' -EmittedBy $author.Id -Keypair $author.Keypair
        $text = $t | Out-String
        $text | Should -Match 'A turn on its own\.'
        $text | Should -Match '\b2\b'
        $text.Contains($esc) | Should -BeFalse
    }

    It 'shows a keypair by its public key only' {
        $text = $author.Keypair | Out-String
        $text | Should -Match $author.Keypair.PublicKeyHex
        $text.Contains($esc) | Should -BeFalse
    }

    It 'shows an envelope with its type, emitter and id' {
        $text = $envelope | Out-String
        $text | Should -Match 'offer'
        $text | Should -Match $author.Id
        $text | Should -Match $envelope.Id
        $text.Contains($esc) | Should -BeFalse
    }

    It 'shows a connection and a local server without secrets' {
        $text = (Get-MesaConnection | Out-String) + ($server | Out-String)
        $text | Should -Match '127\.0\.0\.1'
        $text | Should -Not -Match $token.Plain
        $text.Contains($esc) | Should -BeFalse
    }
}

Describe 'colour' {
    AfterAll { $PSStyle.OutputRendering = $script:savedRendering }

    It 'colours active green and flagged yellow when rendering is Ansi' {
        $PSStyle.OutputRendering = 'Ansi'
        $activeText = $active | Out-String
        $flaggedText = $flagged | Out-String
        $activeText | Should -Match "$esc\[(\d+;)*(32|92)m\s*active"
        $flaggedText | Should -Match "$esc\[(\d+;)*(33|93)m\s*flagged"
        # The colour is reset right after the status.
        $activeText | Should -Match "active\s*$esc\[0?m"
        $flaggedText | Should -Match "flagged\s*$esc\[0?m"
    }

    It 'writes no escape codes to redirected output with the default (Host) rendering' {
        $PSStyle.OutputRendering = 'Host'
        $file = Join-Path $TestDrive 'redirected.txt'
        $active, $flagged, $routed | Out-File -FilePath $file -Width 250
        $routed.Decision >> $file
        Get-MesaDeliberation -Id $d.Id >> $file
        $text = Get-Content -Raw $file
        $text | Should -Match '\bflagged\b'
        $text | Should -Match '\bactive\b'
        $text | Should -Match 'legal-review'
        $text.Contains($esc) | Should -BeFalse
    }
}
