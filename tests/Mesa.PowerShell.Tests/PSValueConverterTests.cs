using System.Collections.Specialized;
using System.Text;
using Mesa.Client;
using Mesa.PowerShell.Infrastructure;

namespace Mesa.PowerShell.Tests;

/// <summary>
/// Payloads made of real PowerShell values (built by PowerShell itself) give the expected canonical bytes, through
/// New-MesaEnvelope and through PSValueConverter directly.
/// </summary>
public sealed class PSValueConverterTests(PowerShellSession pwsh) : IClassFixture<PowerShellSession>
{
    public static TheoryData<string, string> Payloads => new()
    {
        // hashtable: keys sorted, ints stay ints
        { "@{ b = 1; a = 'x' }", """{"a":"x","b":1}""" },
        // ordered dictionary, nested, $true/$null
        { "[ordered]@{ z = 1; a = [ordered]@{ y = $true; x = $null } }", """{"a":{"x":null,"y":true},"z":1}""" },
        // PSCustomObject, nested PSCustomObject, a double
        { "[pscustomobject]@{ name = 'n'; inner = [pscustomobject]@{ k = 2.5 } }", """{"inner":{"k":2.5},"name":"n"}""" },
        // nested arrays, an empty one, a one-element one (not unrolled)
        { "@{ list = @(1, @(2, @(3, @())), 'x'); one = @(7) }", """{"list":[1,[2,[3,[]]],"x"],"one":[7]}""" },
        // PSCustomObject inside arrays inside a hashtable
        { "@{ items = @([pscustomobject]@{ b = 2; a = 1 }, [pscustomobject]@{ c = @() }) }", """{"items":[{"a":1,"b":2},{"c":[]}]}""" },
        // JSON object text: numbers keep their written kind
        { """'{"b": 1.0, "a": [1, 2e3, 1e16], "big": 123456789012345678901234567890}'""", """{"a":[1,2000.0,1e+16],"b":1.0,"big":123456789012345678901234567890}""" },
        // numbers and text PowerShell makes: double 1.0, decimal, int64, a BigInteger literal (n suffix; [bigint]'...' goes
        // through double in PowerShell itself), non-ASCII and emoji raw
        { "@{ f = 1.0; d = [decimal]'2.5'; i = [int64]9007199254740993; g = 123456789012345678901234567890n; s = 'é😀'; c = \"`t\" }",
          "{\"c\":\"\\t\",\"d\":2.5,\"f\":1.0,\"g\":123456789012345678901234567890,\"i\":9007199254740993,\"s\":\"é😀\"}" },
        // ConvertFrom-Json output (PSCustomObject with Int64 and double)
        { """'{"x": 1, "y": [0.5, {"z": null}]}' | ConvertFrom-Json""", """{"x":1,"y":[0.5,{"z":null}]}""" },
        // a JSON-looking string inside a hashtable stays a string
        { """@{ nested = '{"x":1}' }""", """{"nested":"{\"x\":1}"}""" },
        // a UTC DateTime becomes the reference timestamp format
        { "@{ t = [datetime]::new(2026, 1, 2, 3, 4, 5, [DateTimeKind]::Utc) }", """{"t":"2026-01-02T03:04:05.000000Z"}""" },
    };

    [Theory]
    [MemberData(nameof(Payloads))]
    public void New_mesa_envelope_gives_the_canonical_payload(string payloadExpression, string expected)
    {
        var result = pwsh.Run($"$p = {payloadExpression}; (New-MesaEnvelope -Type offer -EmittedBy me -DeliberationId d -Payload $p).PayloadJson").AssertNoErrors();
        Assert.Equal(expected, Assert.Single(result.Output).BaseObject);
    }

    [Theory]
    [MemberData(nameof(Payloads))]
    public void To_plain_gives_values_the_core_canonicalises_the_same(string payloadExpression, string expected)
    {
        var value = Assert.Single(pwsh.Run($"$p = {payloadExpression}; ,$p").AssertNoErrors().Output);
        var envelope = MesaEnvelope.Create("offer", "me", PSValueConverter.ToPlain(value), deliberationId: "d");
        Assert.Equal(expected, envelope.PayloadJson);
    }

    [Fact]
    public void Whole_envelope_bytes_are_the_signed_fields_in_canonical_form()
    {
        var result = pwsh.Run(
            "$e = New-MesaEnvelope -Type offer -EmittedBy p1 -DeliberationId d1 -Id evt_1 -Timestamp 2026-05-08T00:00:00.000000Z -Payload ([ordered]@{ terms = @{}; summary = 'ñ' }); " +
            "$e | ConvertTo-MesaCanonicalJson; ,($e | ConvertTo-MesaCanonicalJson -AsByteArray)").AssertNoErrors();
        const string expected = """{"deliberation_id":"d1","emitted_by":"p1","id":"evt_1","parent_id":null,"payload":{"summary":"ñ","terms":{}},"timestamp":"2026-05-08T00:00:00.000000Z","type":"offer"}""";
        Assert.Equal(expected, result.Output[0].BaseObject);
        Assert.Equal(Encoding.UTF8.GetBytes(expected), Assert.IsType<byte[]>(result.Output[1].BaseObject));
    }

    [Fact]
    public void PSCustomObject_property_order_is_kept_before_canonical_sorting()
    {
        var value = Assert.Single(pwsh.Run("[pscustomobject]@{ zeta = 1; alpha = 2 }").Output);
        var plain = Assert.IsType<OrderedDictionary>(PSValueConverter.ToPlain(value));
        Assert.Equal(["zeta", "alpha"], plain.Keys.Cast<string>());
        Assert.Equal("""{"alpha":2,"zeta":1}""", CanonicalJson.ToCanonicalString(plain));
    }

    [Fact]
    public void The_same_object_twice_is_not_a_cycle()
    {
        var result = pwsh.Run("$s = [pscustomobject]@{ v = 1 }; (New-MesaEnvelope -Type offer -EmittedBy me -Payload @{ a = $s; b = @($s, $s) }).PayloadJson").AssertNoErrors();
        Assert.Equal("""{"a":{"v":1},"b":[{"v":1},{"v":1}]}""", Assert.Single(result.Output).BaseObject);
    }

    [Theory]
    [InlineData("$o = [pscustomobject]@{ a = 1 }; $o | Add-Member b $o; @{ x = $o }", "$.x.b")]
    [InlineData("$h = @{}; $h.self = @(1, $h); $h", "$.self[1]")]
    public void Cycles_are_refused_with_their_path(string payloadScript, string path)
    {
        var value = Assert.Single(pwsh.Run(payloadScript + " | ForEach-Object { ,$_ }").Output);
        var ex = Assert.Throws<CanonicalJsonException>(() => PSValueConverter.ToPlain(value));
        Assert.Equal(path, ex.JsonPath);
        Assert.Contains("cycle", ex.Message);
    }

    [Fact]
    public void Non_string_keys_are_refused_with_a_fix()
    {
        var result = pwsh.Run("New-MesaEnvelope -Type offer -EmittedBy me -Payload @{ a = @{ 2 = 'x' } }");
        var error = Assert.Single(result.Errors);
        Assert.Equal("InvalidArgument,Mesa.PowerShell.Commands.NewMesaEnvelopeCommand", error.FullyQualifiedErrorId);
        Assert.Contains("'$.a'", error.Exception.Message);
        Assert.Contains("Quote the key", error.Exception.Message);
    }

    [Theory]
    [InlineData("@(1, 2)", "JSON array")]
    [InlineData("'[1]'", "JSON array")]
    [InlineData("'\"text\"'", "JSON string")]
    public void Payloads_that_are_not_objects_are_refused(string payload, string described)
    {
        var error = Assert.Single(pwsh.Run($"New-MesaEnvelope -Type offer -EmittedBy me -Payload {payload}").Errors);
        Assert.Contains(described, error.Exception.Message);
        Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
    }

    [Fact]
    public void NaN_is_refused_with_its_path()
    {
        var error = Assert.Single(pwsh.Run("New-MesaEnvelope -Type offer -EmittedBy me -Payload @{ x = [double]::NaN }").Errors);
        Assert.Equal("InvalidCanonicalJson,Mesa.PowerShell.Commands.NewMesaEnvelopeCommand", error.FullyQualifiedErrorId);
        Assert.Equal("payload.x", Assert.IsType<CanonicalJsonException>(error.Exception).JsonPath);
    }
}
