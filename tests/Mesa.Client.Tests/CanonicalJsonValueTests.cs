using System.Collections;
using System.Collections.Immutable;
using System.Collections.Specialized;
using System.Dynamic;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mesa.Client.Tests;

/// <summary>Canonical JSON made from .NET values (the vectors cover JSON text).</summary>
public class CanonicalJsonValueTests
{
    private static string Canon(object? value) => CanonicalJson.ToCanonicalString(value);

    [Fact]
    public void Every_integer_type_is_written_as_plain_digits()
    {
        var values = new object[]
        {
            (byte)255, (sbyte)-128, (short)-32768, (ushort)65535, int.MinValue, uint.MaxValue, long.MinValue, ulong.MaxValue,
            Int128.MinValue, UInt128.MaxValue, (nint)(-5), (nuint)5,
            BigInteger.Parse("123456789012345678901234567890"), BigInteger.Parse("-98765432109876543210"),
        };

        Assert.Equal(
            "[255,-128,-32768,65535,-2147483648,4294967295,-9223372036854775808,18446744073709551615," +
            "-170141183460469231731687303715884105728,340282366920938463463374607431768211455,-5,5," +
            "123456789012345678901234567890,-98765432109876543210]",
            Canon(values));
    }

    [Theory]
    [InlineData(40000.0, "40000.0")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(0.1, "0.1")]
    [InlineData(0.30000000000000004, "0.30000000000000004")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(1e16, "1e+16")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(1.5e-7, "1.5e-07")]
    [InlineData(123456789012345680.0, "1.2345678901234568e+17")]
    [InlineData(double.MaxValue, "1.7976931348623157e+308")]
    [InlineData(double.Epsilon, "5e-324")]
    [InlineData(-2.5e300, "-2.5e+300")]
    public void Doubles_are_written_as_python_repr(double value, string expected)
    {
        Assert.Equal(expected, Canon(value));
    }

    [Fact]
    public void Floats_use_their_own_shortest_digits()
    {
        Assert.Equal("[0.1,1.5,16777216.0,3.4028235e+38,-0.0]", Canon(new object[] { 0.1f, 1.5f, 16777216f, float.MaxValue, -0.0f }));
        Assert.Equal("0.5", Canon((Half)0.5));
    }

    [Fact]
    public void Decimals_become_the_nearest_double()
    {
        // The (double) cast of this decimal is one ulp off (1.8732496099149217e+18); the nearest double ends in ...215.
        Assert.Equal("1.8732496099149215e+18", Canon(1873249609914921552.0137654331m));
        Assert.Equal("-1214.1546714769502", Canon(-1214.1546714769501832375725662m));
        Assert.Equal("0.1", Canon(0.1m));
        Assert.Equal("40000.0", Canon(40000m));
        Assert.Equal("7.922816251426434e+28", Canon(decimal.MaxValue));
    }

    [Fact]
    public void Dates_become_utc_iso_8601_strings_with_microseconds_and_z()
    {
        var utc = new DateTime(2026, 5, 8, 9, 30, 15, DateTimeKind.Utc).AddTicks(1234567); // 7th digit dropped
        var offset = new DateTimeOffset(2026, 5, 8, 11, 30, 15, TimeSpan.FromHours(2));
        var unspecified = new DateTime(2026, 5, 8, 9, 30, 15, DateTimeKind.Unspecified);
        var local = new DateTime(2026, 5, 8, 9, 30, 15, DateTimeKind.Utc).ToLocalTime();

        Assert.Equal("\"2026-05-08T09:30:15.123456Z\"", Canon(utc));
        Assert.Equal("\"2026-05-08T09:30:15.000000Z\"", Canon(offset));
        Assert.Equal("\"2026-05-08T09:30:15.000000Z\"", Canon(unspecified));
        Assert.Equal("\"2026-05-08T09:30:15.000000Z\"", Canon(local));
    }

    [Fact]
    public void Enums_are_written_by_name()
    {
        Assert.Equal("[\"Monday\",\"Read\",\"ReadWrite\"]", Canon(new object[] { DayOfWeek.Monday, FileAccess.Read, FileAccess.ReadWrite }));
    }

    [Fact]
    public void An_enum_value_without_a_name_is_refused()
    {
        var ex = Assert.Throws<CanonicalJsonException>(() => Canon(new Dictionary<string, object> { ["day"] = (DayOfWeek)42 }));
        Assert.Equal("day", ex.JsonPath);
        Assert.Contains("System.DayOfWeek", ex.Message);
        Assert.Contains("42", ex.Message);
    }

    [Fact]
    public void Guids_chars_booleans_and_null()
    {
        Assert.Equal(
            "[\"0f8fad5b-d9cb-469f-a165-70867728950e\",\"x\",true,false,null]",
            Canon(new object?[] { Guid.Parse("0F8FAD5B-D9CB-469F-A165-70867728950E"), 'x', true, false, null }));
    }

    [Fact]
    public void Strings_use_python_escapes_and_raw_utf8()
    {
        var value = "q\" b\\ n\n r\r t\t b\b f\f nul\0 us\u001f del\u007f slash/ é \u2028 \ufeff 😀";
        Assert.Equal(
            "\"q\\\" b\\\\ n\\n r\\r t\\t b\\b f\\f nul\\u0000 us\\u001f del\u007f slash/ é \u2028 \ufeff 😀\"",
            Canon(value));
    }

    [Fact]
    public void Nested_dictionaries_and_lists_sort_keys_by_code_point()
    {
        var value = new Dictionary<string, object?>
        {
            ["z"] = new List<object?> { new Dictionary<string, object?> { ["b"] = 1, ["a"] = 2 }, new object?[] { 3, "x" } },
            ["\uff5e"] = 1,
            ["😀"] = 2,
            ["B"] = 3,
            ["a"] = null,
        };

        Assert.Equal("{\"B\":3,\"a\":null,\"z\":[{\"a\":2,\"b\":1},[3,\"x\"]],\"\uff5e\":1,\"😀\":2}", Canon(value));
    }

    [Fact]
    public void Hashtable_ordered_dictionary_and_sorted_list_are_objects()
    {
        var ordered = new OrderedDictionary { ["z"] = 1, ["y"] = new Hashtable { ["k"] = new ArrayList { 1, "two" } } };
        var sorted = new SortedList { ["b"] = 2.5, ["a"] = true };

        Assert.Equal("{\"y\":{\"k\":[1,\"two\"]},\"z\":1}", Canon(ordered));
        Assert.Equal("{\"a\":true,\"b\":2.5}", Canon(sorted));
    }

    [Fact]
    public void Generic_string_keyed_dictionaries_are_objects()
    {
        dynamic expando = new ExpandoObject();
        expando.b = 1;
        expando.a = "x";

        Assert.Equal("{\"a\":\"x\",\"b\":1}", Canon((object)expando));
        Assert.Equal("{\"a\":2,\"b\":1}", Canon(new Dictionary<string, int> { ["b"] = 1, ["a"] = 2 }));
        Assert.Equal("{\"k\":[1,2]}", Canon(ImmutableDictionary.CreateRange([KeyValuePair.Create("k", new[] { 1, 2 })])));
        Assert.Equal("{\"a\":1,\"b\":2}", Canon(new ReadOnlyOnlyDictionary(("b", 2), ("a", 1))));
    }

    [Fact]
    public void Sequences_of_any_kind_are_arrays()
    {
        static IEnumerable<object> Yield()
        {
            yield return 1;
            yield return "two";
        }

        Assert.Equal("[1,\"two\"]", Canon(Yield()));
        Assert.Equal("[[1,2],[]]", Canon(new[] { new[] { 1, 2 }, Array.Empty<int>() }));
        Assert.Equal("[\"a\"]", Canon(ImmutableArray.Create("a")));
    }

    [Fact]
    public void Json_nodes_and_elements_keep_number_kinds()
    {
        var node = new JsonObject
        {
            ["i"] = 5,
            ["d"] = 5.0,
            ["parsed"] = JsonNode.Parse("{\"big\":123456789012345678901234567890,\"f\":1.50,\"e\":1E2}"),
            ["arr"] = new JsonArray(1, null, "x"),
        };
        using var doc = JsonDocument.Parse("{\"b\":[1.0,2],\"a\":-0}");

        Assert.Equal("{\"arr\":[1,null,\"x\"],\"d\":5.0,\"i\":5,\"parsed\":{\"big\":123456789012345678901234567890,\"e\":100.0,\"f\":1.5}}", Canon(node));
        Assert.Equal("{\"a\":0,\"b\":[1.0,2]}", Canon(doc.RootElement));
        Assert.Equal("{\"a\":0,\"b\":[1.0,2]}", Canon(doc));
    }

    [Fact]
    public void A_shared_value_that_is_not_a_cycle_is_written_twice()
    {
        var shared = new List<object> { 1 };
        Assert.Equal("{\"a\":[1],\"b\":[1]}", Canon(new Dictionary<string, object> { ["a"] = shared, ["b"] = shared }));
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void Nan_and_infinity_are_refused_naming_the_path(double value, string shown)
    {
        var payload = new Dictionary<string, object?> { ["terms"] = new Dictionary<string, object?> { ["when"] = value } };

        var ex = Assert.Throws<CanonicalJsonException>(() => CanonicalJson.FromObject(payload));

        Assert.Equal("terms.when", ex.JsonPath);
        Assert.Contains(shown, ex.Problem);
        Assert.Contains("JSON has no NaN or Infinity", ex.Message);
        Assert.IsAssignableFrom<ArgumentException>(ex);
    }

    [Fact]
    public void Float_and_decimal_paths_and_array_indexes_are_named()
    {
        var ex = Assert.Throws<CanonicalJsonException>(() => Canon(new Dictionary<string, object> { ["items"] = new object[] { 1, 2, float.NaN } }));
        Assert.Equal("items[2]", ex.JsonPath);

        ex = Assert.Throws<CanonicalJsonException>(() => Canon(new object[] { new Dictionary<string, object> { ["x"] = float.PositiveInfinity } }));
        Assert.Equal("[0].x", ex.JsonPath);
    }

    // Char arrays, not strings: attribute strings are stored as UTF-8, which would turn a lone surrogate into U+FFFD.
    [Theory]
    [InlineData(new[] { 'a', '\uD800', 'b' }, "U+D800")]
    [InlineData(new[] { '\uDC00' }, "U+DC00")]
    [InlineData(new[] { 'e', 'n', 'd', '\uD83D' }, "U+D83D")]
    [InlineData(new[] { '\uDE00', '\uD83D' }, "U+DE00")]
    public void Lone_surrogates_in_values_are_refused(char[] chars, string shown)
    {
        var value = new string(chars);
        var ex = Assert.Throws<CanonicalJsonException>(() => Canon(new Dictionary<string, object> { ["note"] = new[] { "ok", value } }));

        Assert.Equal("note[1]", ex.JsonPath);
        Assert.Contains("lone surrogate " + shown, ex.Message);
    }

    [Fact]
    public void Lone_surrogates_in_keys_are_refused()
    {
        var ex = Assert.Throws<CanonicalJsonException>(() => Canon(new Dictionary<string, object> { ["outer"] = new Dictionary<string, object> { ["k\uD800"] = 1 } }));

        Assert.Equal("outer", ex.JsonPath);
        Assert.Contains("key holds a lone surrogate", ex.Message);
    }

    [Fact]
    public void Unsupported_types_are_refused_naming_the_type()
    {
        var ex = Assert.Throws<CanonicalJsonException>(() => Canon(new Dictionary<string, object> { ["terms"] = new Dictionary<string, object> { ["site"] = new Uri("https://example.test/") } }));
        Assert.Equal("terms.site", ex.JsonPath);
        Assert.Contains("'System.Uri'", ex.Message);
        Assert.Contains("not supported", ex.Message);

        ex = Assert.Throws<CanonicalJsonException>(() => Canon(new List<object> { new KeyValuePair<string, int>("a", 1) }));
        Assert.Contains("'System.Collections.Generic.KeyValuePair<String, Int32>'", ex.Message);

        ex = Assert.Throws<CanonicalJsonException>(() => Canon(new object()));
        Assert.Equal("$", ex.JsonPath);
        Assert.Contains("'System.Object'", ex.Message);

        ex = Assert.Throws<CanonicalJsonException>(() => Canon(new Dictionary<string, object> { ["blob"] = new byte[] { 1 } }));
        Assert.Contains("hex or base64", ex.Message);
    }

    [Fact]
    public void Non_string_keys_are_refused()
    {
        var ex = Assert.Throws<CanonicalJsonException>(() => Canon(new Hashtable { [1] = "one" }));
        Assert.Contains("keys must be strings", ex.Message);
        Assert.Contains("System.Int32", ex.Message);

        ex = Assert.Throws<CanonicalJsonException>(() => Canon(new IntKeyedOnlyDictionary()));
        Assert.Contains("keys must be strings", ex.Message);
    }

    [Fact]
    public void Odd_keys_are_bracketed_in_paths()
    {
        var ex = Assert.Throws<CanonicalJsonException>(() => Canon(new Dictionary<string, object> { ["a.b"] = new Dictionary<string, object> { ["x y"] = double.NaN } }));
        Assert.Equal("[\"a.b\"][\"x y\"]", ex.JsonPath);
    }

    [Fact]
    public void A_dictionary_that_contains_itself_is_a_cycle()
    {
        var root = new Dictionary<string, object?> { ["name"] = "root" };
        root["self"] = root;

        var ex = Assert.Throws<CanonicalJsonException>(() => CanonicalJson.FromObject(root));

        Assert.Equal("self", ex.JsonPath);
        Assert.Contains("reference cycle", ex.Message);
    }

    [Fact]
    public void An_indirect_cycle_through_a_list_names_where_it_closes()
    {
        var payload = new Dictionary<string, object?>();
        var items = new List<object?> { 1 };
        payload["terms"] = new Hashtable { ["items"] = items };
        items.Add(payload);

        var ex = Assert.Throws<CanonicalJsonException>(() => MesaEnvelope.Create("offer", "p", payload));

        Assert.Equal("payload.terms.items[1]", ex.JsonPath);
        Assert.Contains("reference cycle", ex.Message);
    }

    [Fact]
    public void Nesting_up_to_the_limit_is_accepted_and_one_deeper_is_refused()
    {
        static object Nest(int depth)
        {
            object value = 1;
            for (var i = 0; i < depth; i++) value = new List<object> { value };
            return value;
        }

        Assert.Equal(new string('[', CanonicalJson.MaxDepth) + "1" + new string(']', CanonicalJson.MaxDepth), Canon(Nest(CanonicalJson.MaxDepth)));

        var ex = Assert.Throws<CanonicalJsonException>(() => Canon(Nest(CanonicalJson.MaxDepth + 1)));
        Assert.Contains($"deeper than {CanonicalJson.MaxDepth} levels", ex.Message);
        Assert.Equal(string.Concat(Enumerable.Repeat("[0]", CanonicalJson.MaxDepth)), ex.JsonPath);
        Assert.True(ex.Message.Length < 400, "a deep path is abbreviated in the message");
    }

    [Fact]
    public void Deep_json_text_is_refused_by_the_same_limit()
    {
        var atLimit = new string('[', CanonicalJson.MaxDepth) + new string(']', CanonicalJson.MaxDepth);
        Assert.Equal(Encoding.UTF8.GetBytes(atLimit), CanonicalJson.FromJson(atLimit));

        var tooDeep = "{\"a\":" + new string('[', 5000) + new string(']', 5000) + "}";
        var ex = Assert.Throws<CanonicalJsonException>(() => CanonicalJson.FromJson(tooDeep));
        Assert.Contains($"deeper than {CanonicalJson.MaxDepth} levels", ex.Message);
        Assert.StartsWith("a[0][0]", ex.JsonPath);
    }

    [Fact]
    public void A_raw_lone_surrogate_in_json_text_is_refused_not_replaced()
    {
        var ex = Assert.Throws<CanonicalJsonException>(() => CanonicalJson.FromJson("{\"terms\":{\"when\":\"a\uD800b\"}}"));
        Assert.Equal("terms.when", ex.JsonPath);
        Assert.Contains("lone surrogate", ex.Message);

        // An escaped high surrogate next to a raw low one does not make a pair (Python keeps both lone).
        Assert.Throws<CanonicalJsonException>(() => CanonicalJson.FromJson("\"\\ud83d\uDE00\""));
        Assert.Throws<CanonicalJsonException>(() => CanonicalJson.FromJson("\"\uD83D\\ude00\""));
        // After an odd run of backslashes the raw surrogate would be escaped: invalid JSON either way.
        Assert.Contains("backslash", Assert.Throws<CanonicalJsonException>(() => CanonicalJson.FromJson("\"\\\uD800\"")).Message);
        // A raw pair is fine.
        Assert.Equal("\"😀\"", Encoding.UTF8.GetString(CanonicalJson.FromJson("\"😀\"")));
    }

    [Theory]
    [InlineData(new byte[] { 0x22, 0xFF, 0x22 })]
    [InlineData(new byte[] { 0x22, 0xC0, 0xAF, 0x22 })] // overlong "/"
    [InlineData(new byte[] { 0x22, 0xED, 0xA0, 0x80, 0x22 })] // an encoded surrogate
    [InlineData(new byte[] { 0x7B, 0x22, 0xC3, 0x22, 0x3A, 0x31, 0x7D })] // truncated sequence in a key
    public void Utf8_text_that_is_not_utf8_is_refused(byte[] bytes)
    {
        var ex = Assert.Throws<CanonicalJsonException>(() => CanonicalJson.FromJson(bytes));
        Assert.Contains("not valid UTF-8", ex.Message);
    }

    [Fact]
    public void A_json_element_holding_invalid_utf8_is_refused()
    {
        using var doc = JsonDocument.Parse(new byte[] { 0x5B, 0x22, 0xED, 0xA0, 0x80, 0x22, 0x5D });
        var ex = Assert.Throws<CanonicalJsonException>(() => CanonicalJson.FromElement(doc.RootElement));
        Assert.Equal("[0]", ex.JsonPath);
    }

    [Theory]
    [InlineData("{\"a\":1,}")]
    [InlineData("{'a':1}")]
    [InlineData("[1] // comment")]
    [InlineData("NaN")]
    [InlineData("")]
    public void Text_that_is_not_strict_json_is_refused(string text)
    {
        var ex = Assert.Throws<CanonicalJsonException>(() => CanonicalJson.FromJson(text));
        Assert.Contains("not valid JSON", ex.Message);
        Assert.Equal("$", ex.JsonPath);
    }

    [Fact]
    public void Duplicate_keys_in_text_keep_the_last_at_every_depth()
    {
        Assert.Equal("{\"a\":{\"x\":3},\"b\":1}", Encoding.UTF8.GetString(CanonicalJson.FromJson("{\"a\":1,\"b\":1,\"a\":{\"x\":2,\"x\":3}}")));
        Assert.Equal("{\"é\":2}", Encoding.UTF8.GetString(CanonicalJson.FromJson("{\"\\u00e9\":1,\"é\":2}")));
    }

    [Fact]
    public void The_writer_is_reusable_after_a_failure_on_the_same_thread()
    {
        Assert.Throws<CanonicalJsonException>(() => Canon(new Dictionary<string, object> { ["x"] = new List<object> { double.NaN } }));
        Assert.Equal("{\"ok\":[1]}", Canon(new Dictionary<string, object> { ["ok"] = new List<object> { 1 } }));
    }

    /// <summary>Implements only the generic read-only interface (no IDictionary).</summary>
    private sealed class ReadOnlyOnlyDictionary(params (string Key, int Value)[] items) : IReadOnlyDictionary<string, int>
    {
        private readonly Dictionary<string, int> _inner = items.ToDictionary(i => i.Key, i => i.Value);

        public int this[string key] => _inner[key];

        public IEnumerable<string> Keys => _inner.Keys;

        public IEnumerable<int> Values => _inner.Values;

        public int Count => _inner.Count;

        public bool ContainsKey(string key) => _inner.ContainsKey(key);

        public bool TryGetValue(string key, out int value) => _inner.TryGetValue(key, out value);

        public IEnumerator<KeyValuePair<string, int>> GetEnumerator() => _inner.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>A generic dictionary with integer keys that does not implement IDictionary.</summary>
    private sealed class IntKeyedOnlyDictionary : IReadOnlyDictionary<int, string>
    {
        private readonly Dictionary<int, string> _inner = new() { [1] = "one" };

        public string this[int key] => _inner[key];

        public IEnumerable<int> Keys => _inner.Keys;

        public IEnumerable<string> Values => _inner.Values;

        public int Count => _inner.Count;

        public bool ContainsKey(int key) => _inner.ContainsKey(key);

        public bool TryGetValue(int key, out string value) => _inner.TryGetValue(key, out value!);

        public IEnumerator<KeyValuePair<int, string>> GetEnumerator() => _inner.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
