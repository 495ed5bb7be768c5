#requires -Version 7.5
# Format views (Mesa.format.ps1xml): what Out-String shows for principals, commitments, decisions, deliberations,
# the transcript-like detail, keypairs and envelopes; colour only when rendering allows it.

BeforeAll {
    . (Join-Path $PSScriptRoot 'AcceptanceHelpers.ps1')
    Import-MesaUnderTest
    if (Get-SkipReason -Needs v2) { return }   # every test here needs a v2 server
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
    Stop-TestServer $script:server
}

Describe 'views with PlainText rendering' {
    BeforeEach { Skip-Test -Needs v2 }

    BeforeAll { $PSStyle.OutputRendering = 'PlainText' }
    AfterAll { $PSStyle.OutputRendering = $script:savedRendering }

    It 'shows commitments as a table: status and the policies that fired (the action is a property)' {
        Skip-Test -Needs Policies
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
        Skip-Test -Needs Policies
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
        Skip-Test -Needs Policies
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
    BeforeEach { Skip-Test -Needs v2 }

    AfterAll { $PSStyle.OutputRendering = $script:savedRendering }

    It 'colours active green and flagged yellow when rendering is Ansi' {
        Skip-Test -Needs Policies
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
        Skip-Test -Needs Policies
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

Describe 'at 80 and 120 columns, labels that are properties' {
    BeforeEach { Skip-Test -Needs v2 }

    BeforeAll {
        if (Get-SkipReason -Needs v2) { return }
        # 79: the columns PowerShell lays a table out in on an 80-column console.
        $PSStyle.OutputRendering = 'PlainText'
        $script:wide = New-TestPrincipal -Org 'wide-org' -Capability offer, counter, license_terms, usage_restriction, participant_joined
        $script:long = New-MesaDeliberation -Title 'Licence for the 1990 to 2025 news archive with photographs, captions and later amendments'
        # Every line within the width, no value cut short, the header on one line.
        function Assert-Fits([string] $Text, [int] $Width) {
            foreach ($line in $Text -split "`r?`n") { $line.Length | Should -BeLessOrEqual $Width -Because "'$line'" }
            $Text.Contains([string][char]0x2026) | Should -BeFalse -Because 'no value is cut short'
        }
    }
    AfterAll { $PSStyle.OutputRendering = $script:savedRendering }

    It 'shows a principal with several capabilities whole at <_> columns' -ForEach 79, 80, 120 {
        $text = Get-MesaPrincipal -Id $wide.Id | Out-String -Width $_
        Assert-Fits $text $_
        $text | Should -Match "(?m)^Id\s+Org\s+Capabilities\s*$"
        $text | Should -Match $wide.Id
        foreach ($capability in 'offer', 'counter', 'license_terms', 'usage_restriction', 'participant_joined') { $text | Should -Match "(?<!\S)$capability,?(?!\S)" }
    }

    It 'shows deliberations, commitments, a transcript and a local server whole at <_> columns' -ForEach 79, 80, 120 {
        $width = $_
        foreach ($object in @($long), @($active, $flagged, $routed), @(Get-MesaDeliberation -Id $d.Id), @($server), @(Get-MesaConnection)) {
            Assert-Fits ($object | Out-String -Width $width) $width
        }
        $text = $long | Out-String -Width $width
        $text | Should -Match $long.Id
        foreach ($word in $long.Title -split ' ') { $text | Should -Match "(?<!\S)$([regex]::Escape($word))(?!\S)" }
    }

    It 'filters and selects by the names the views show' {
        Skip-Test -Needs Policies
        @($author.Keypair) | Where-Object PublicKey -eq $author.Principal.PublicKey | Should -HaveCount 1
        @($active, $flagged, $routed) | Where-Object Action -eq 'route' | Select-Object -ExpandProperty Id | Should -Be $routed.Id
        @($active, $flagged, $routed) | Where-Object Policies -contains 'flag-large-spend' | Should -HaveCount 2
        ($envelope | Select-Object IsSigned).IsSigned | Should -BeTrue
        (Get-MesaConnection | Select-Object HasAdminToken).HasAdminToken | Should -BeTrue
    }

    It 'converts an envelope to JSON with its payload' {
        $back = $envelope | ConvertTo-Json -Depth 10 | ConvertFrom-Json
        $back.Payload.summary | Should -Be $envelope.Payload.summary
        $back.Payload.terms.price | Should -Be 100
        ($envelope | ConvertTo-Json -Depth 10) | Should -Not -Match 'ValueKind'
        Test-MesaEnvelope -Envelope $envelope -Keypair $author.Keypair | Should -BeTrue
    }

    It 'converts a deliberation detail to JSON with each listed commitment''s deliberation id' {
        $detail = Get-MesaDeliberation -Id $d.Id
        $back = $detail | ConvertTo-Json -Depth 10 | ConvertFrom-Json
        @($back.Commitments).Count | Should -BeGreaterThan 0
        @($back.Commitments).DeliberationId | Select-Object -Unique | Should -Be $d.Id
        ([Mesa.Client.MesaDeliberationDetail] $detail.psobject.BaseObject).Commitments[0].DeliberationId | Should -Be $d.Id
    }

    It 'shows a commitment''s decision as text in Format-List' {
        Skip-Test -Needs Policies
        $text = $routed | Format-List | Out-String -Width 250
        $text | Should -Match 'Decision\s+:\s+route; applied: flag-large-spend \(flag\), route-long-term \(route -> legal-review\)'
        $text | Should -Not -Match 'System\.Collections|MesaDecision \{'
    }
}
