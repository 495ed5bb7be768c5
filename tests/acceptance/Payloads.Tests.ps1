#requires -Version 7.5
# Payloads the canonical form must get exactly right: non-ASCII text, emoji, control characters, floats, big
# integers, nested objects and arrays. The server verifying our signature is the proof; the detail view then
# shows the payload came back unchanged. Plus ConvertTo-MesaCanonicalJson and the signing test vectors.

BeforeDiscovery {
    $json = Get-Content -Raw (Join-Path $PSScriptRoot '../vectors/signing.json')
    $parsed = $json | ConvertFrom-Json -DateKind String   # timestamps stay the exact text
    # The payloads as raw JSON text, so every number keeps its written kind and digits.
    $raw = @([System.Text.Json.JsonDocument]::Parse($json).RootElement.GetProperty('cases').EnumerateArray() |
        ForEach-Object { $_.GetProperty('envelope').GetProperty('payload').GetRawText() })
    $script:vectorCases = for ($i = 0; $i -lt $parsed.cases.Count; $i++) {
        $case = $parsed.cases[$i]
        $e = $case.envelope
        @{
            Name           = $case.name
            Profile        = $case.profile
            Seed           = $case.private_key_hex
            PublicKey      = $case.public_key_hex
            Signature      = $case.signature_hex
            CanonicalHex   = $case.canonical_hex
            Id             = $e.id
            ParentId       = $e.parent_id
            Timestamp      = $e.timestamp
            Type           = $e.type
            EmittedBy      = $e.emitted_by
            DeliberationId = $e.PSObject.Properties['deliberation_id']?.Value
            PayloadJson    = $raw[$i]
        }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'AcceptanceHelpers.ps1')
    Import-MesaUnderTest
    if (Get-SkipReason -Needs v2) { return }   # every test here needs a v2 server
    $script:token = New-TestAdminToken
    $script:server = Start-TestServer -AdminToken $token -PolicyPath (New-TestPolicyFile -Path (Join-Path $TestDrive 'policies.json'))
    $script:server | Connect-Mesa
    $script:author = New-TestPrincipal -Org 'Ünïcödé Labs 🚀' -Capability offer, license_terms, scope_clause
    $script:d = New-MesaDeliberation -Title 'Payloads – ünïcödé – 🧪'
    # Submits, then reads the stored payload back from the deliberation's detail.
    function Submit-AndReadBack([string] $Type = 'offer', $Payload) {
        $c = New-MesaEnvelope -Type $Type -EmittedBy $author.Id -DeliberationId $d.Id -Payload $Payload -Keypair $author.Keypair | Submit-MesaCommitment
        $stored = (Get-MesaDeliberation -Id $d.Id).Commitments | Where-Object Id -EQ $c.Id
        [pscustomobject]@{ Commitment = $c; Payload = $stored.Payload }
    }
}

AfterAll {
    Stop-TestServer $script:server
}

Describe 'payloads the server verifies' {
    BeforeEach { Skip-Test -Needs v2 }

    It 'accepts non-ASCII text and emoji, in values and keys' {
        $summary = 'Zürich – 東京 – Ελλάδα – 🚀🇪🇺 deal'
        $r = Submit-AndReadBack -Payload @{ summary = $summary; terms = @{ 'ключ' = 'значение'; '😀' = 'emoji key'; '～' = 'fullwidth tilde'; 'é' = 'é' } }
        $r.Commitment.Status | Should -Be 'active'
        $r.Payload['summary'] | Should -Be $summary
        $r.Payload['terms']['ключ'] | Should -Be 'значение'
        $r.Payload['terms']['😀'] | Should -Be 'emoji key'
        $r.Payload['terms']['～'] | Should -Be 'fullwidth tilde'
    }

    It 'accepts control characters, quotes, backslashes, slashes and U+2028' {
        $tricky = "tab`there, newline`nthere, quote `" backslash \ slash / bell $([char]7) del $([char]0x7f) sep $([char]0x2028) end"
        $r = Submit-AndReadBack -Payload @{ summary = 'escapes'; terms = @{ text = $tricky } }
        $r.Commitment.Status | Should -Be 'active'
        $r.Payload['terms']['text'] | Should -Be $tricky
    }

    It 'accepts floats of every notation' {
        $terms = [ordered]@{ tenth = 0.1; whole = 40000.0; tiny = 1e-05; huge = 1e16; negzero = -0.0; long = 1.2345678901234568e+17; min = 5e-324; third = 1 / 3 }
        $r = Submit-AndReadBack -Payload @{ summary = 'floats'; terms = $terms }
        $r.Commitment.Status | Should -Be 'active'
        $r.Payload['terms']['tenth'] | Should -Be 0.1
        $r.Payload['terms']['tiny'] | Should -Be 1e-05
        $r.Payload['terms']['huge'] | Should -Be 1e16
        $r.Payload['terms']['third'] | Should -Be (1 / 3)
    }

    It 'accepts big integers beyond 64 bits' {
        $big = [bigint]::Parse('123456789012345678901234567890')
        $r = Submit-AndReadBack -Payload @{ summary = 'big ints'; terms = @{ big = $big; negative = -$big; max = [long]::MaxValue; umax = [ulong]::MaxValue } }
        $r.Commitment.Status | Should -Be 'active'
        "$($r.Payload['terms']['big'])" | Should -Be '123456789012345678901234567890'
        "$($r.Payload['terms']['negative'])" | Should -Be '-123456789012345678901234567890'
        "$($r.Payload['terms']['umax'])" | Should -Be '18446744073709551615'
    }

    It 'accepts a JSON string payload keeping each number''s kind and digits' {
        $json = '{"summary":"json numbers","terms":{"big":123456789012345678901234567890,"neg":-98765432109876543210,"f":1.5e300,"tiny":5e-324,"pi":3.141592653589793,"one":1.0,"int":7}}'
        $r = Submit-AndReadBack -Payload $json
        $r.Commitment.Status | Should -Be 'active'
        "$($r.Payload['terms']['big'])" | Should -Be '123456789012345678901234567890'
        $r.Payload['terms']['pi'] | Should -Be 3.141592653589793
    }

    It 'accepts nested objects and arrays (hashtables, PSCustomObjects, ordered dictionaries)' {
        $deep = @{ level = 0 }
        foreach ($i in 1..12) { $deep = @{ level = $i; inner = $deep; list = @($i, "$i", @{ n = $i }) } }
        $payload = [pscustomobject]@{
            summary = 'nested'
            terms   = [ordered]@{
                deep   = $deep
                matrix = @(@(1, 2), @(3, @(4, 5)), @())
                mixed  = @($true, $false, $null, 1.5, 'x', [pscustomobject]@{ k = 'v' })
                empty  = @{}
            }
        }
        $r = Submit-AndReadBack -Payload $payload
        $r.Commitment.Status | Should -Be 'active'
        $r.Payload['terms']['deep']['level'] | Should -Be 12
        $r.Payload['terms']['matrix'][1][1][1] | Should -Be 5
        $r.Payload['terms']['mixed'][5]['k'] | Should -Be 'v'
    }

    It 'accepts a datasharing type with nested schema objects' {
        $r = Submit-AndReadBack -Type scope_clause -Payload @{
            included = @{ regions = @('EU', 'ÜS'); categories = @('news'); date_range = @{ start = '2020-01-01'; end = '2025-12-31' } }
            excluded = @{ user_classes = @('minors') }
        }
        $r.Commitment.Type | Should -Be 'scope_clause'
        $r.Commitment.Status | Should -Be 'active'
    }
}

Describe 'payloads refused before signing' {
    BeforeEach { Skip-Test -Needs v2 }

    It 'refuses NaN' {
        $err = Get-ErrorRecord { New-MesaEnvelope -Type offer -EmittedBy $author.Id -DeliberationId $d.Id -Payload @{ summary = 's'; terms = @{ x = [double]::NaN } } -Keypair $author.Keypair }
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
        $err.Exception.Message | Should -Match 'NaN|finite|Infinity'
    }

    It 'refuses a lone surrogate' {
        $err = Get-ErrorRecord { New-MesaEnvelope -Type offer -EmittedBy $author.Id -DeliberationId $d.Id -Payload @{ summary = "bad $([char]0xD800) text"; terms = @{} } -Keypair $author.Keypair }
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
        $err.Exception.Message | Should -Match 'surrogate'
    }

    It 'refuses a payload that is not a JSON object' {
        { New-MesaEnvelope -Type offer -EmittedBy $author.Id -Payload 'not json at all' -ErrorAction Stop } | Should -Throw
        { New-MesaEnvelope -Type offer -EmittedBy $author.Id -Payload '[1,2,3]' -ErrorAction Stop } | Should -Throw
    }
}

Describe 'timestamps' {
    BeforeEach { Skip-Test -Needs v2 }

    It 'writes a DateTime or DateTimeOffset the way the reference SDK does, whatever the culture' {
        $utc = [datetime]::new(2026, 5, 8, 0, 0, 0, [DateTimeKind]::Utc).AddTicks(1234560)
        (New-MesaEnvelope -Type offer -EmittedBy me -DeliberationId d1 -Payload @{ a = 1 } -Timestamp $utc).Timestamp |
            Should -BeExactly '2026-05-08T00:00:00.123456Z'
        (New-MesaEnvelope -Type offer -EmittedBy me -DeliberationId d1 -Payload @{ a = 1 } -Timestamp ([DateTimeOffset]'2026-05-08T02:00:00+02:00')).Timestamp |
            Should -BeExactly '2026-05-08T00:00:00.000000Z'
    }

    It 'keeps a timestamp string exactly as written (the server never parses it)' {
        (New-MesaEnvelope -Type offer -EmittedBy me -DeliberationId d1 -Payload @{ a = 1 } -Timestamp 'soon').Timestamp | Should -BeExactly 'soon'
    }

    It 'accepts an envelope signed with a DateTime timestamp' {
        $e = New-MesaEnvelope -Type offer -EmittedBy $author.Id -DeliberationId $d.Id -Payload @{ summary = 's'; terms = @{} } -Timestamp (Get-Date) -Keypair $author.Keypair
        $e.Timestamp | Should -Match '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$'
        ($e | Submit-MesaCommitment).Status | Should -Be 'active'
    }
}

Describe 'ConvertTo-MesaCanonicalJson' {
    BeforeEach { Skip-Test -Needs v2 }

    It 'sorts keys and writes no whitespace' {
        ConvertTo-MesaCanonicalJson -InputObject ([ordered]@{ b = 1; a = [ordered]@{ d = 'é'; c = 1.0 } }) | Should -BeExactly '{"a":{"c":1.0,"d":"é"},"b":1}'
    }

    It 'sorts keys by code point (U+FF5E before U+1F600)' {
        ConvertTo-MesaCanonicalJson -Json '{"😀":1,"～":2,"a":3}' | Should -BeExactly '{"a":3,"～":2,"😀":1}'
    }

    It 'writes numbers the way Python does' {
        ConvertTo-MesaCanonicalJson -Json '{"x":1e16,"y":[1,2.50,1E-5,-0.0,100000000000000000000]}' |
            Should -BeExactly '{"x":1e+16,"y":[1,2.5,1e-05,-0.0,100000000000000000000]}'
    }

    It 'escapes control characters in lowercase hex and leaves the rest raw' {
        ConvertTo-MesaCanonicalJson -InputObject @{ s = "a`tb$([char]1)c/é🚀" } | Should -BeExactly ('{"s":"a\tb\u0001c/é🚀"}')
    }

    It 'gives the UTF-8 bytes with -AsByteArray' {
        $bytes = ConvertTo-MesaCanonicalJson -Json '{"b":"ü","a":1}' -AsByteArray
        [System.Text.Encoding]::UTF8.GetString([byte[]]$bytes) | Should -BeExactly '{"a":1,"b":"ü"}'
        @($bytes).Count | Should -Be 16
    }
}

Describe 'signing test vectors through the cmdlets' {
    BeforeEach { Skip-Test -Needs v2 }

    It 'signs <Name> exactly like the reference' -ForEach $vectorCases {
        $kp = New-MesaKeypair -PrivateKeyHex (ConvertTo-SecureString $Seed -AsPlainText -Force)
        $kp.PublicKeyHex | Should -Be $PublicKey
        $params = @{ Type = $Type; EmittedBy = $EmittedBy; Payload = $PayloadJson; Id = $Id; Timestamp = $Timestamp; Profile = $Profile; Keypair = $kp }
        if ($ParentId) { $params.ParentId = $ParentId }
        if ($DeliberationId) { $params.DeliberationId = $DeliberationId }
        $envelope = New-MesaEnvelope @params
        $envelope.Signature | Should -Be $Signature
        $bytes = ConvertTo-MesaCanonicalJson -InputObject $envelope -AsByteArray
        [Convert]::ToHexString([byte[]]$bytes).ToLowerInvariant() | Should -Be $CanonicalHex
        Test-MesaEnvelope -Envelope $envelope -PublicKey $PublicKey | Should -BeTrue
    }
}
