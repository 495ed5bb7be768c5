using System.Diagnostics;
using System.Text;

namespace Mesa.Client.Tests;

/// <summary>
/// Issue 9 item 15: JSON text nested far past the 256-level limit is refused in time linear in its length (the
/// document parser alone took tens of milliseconds to seconds on 10,000 levels), with the limit and the path named.
/// </summary>
public class DeepJsonTextTests
{
    private const int Levels = 10_000;

    private static readonly string DeepArrays = new string('[', Levels) + new string(']', Levels);
    private static readonly string DeepObjects = string.Concat(Enumerable.Repeat("{\"a\":", Levels)) + "1" + new string('}', Levels);

    public static TheoryData<string, string> EntryPoints => new()
    {
        { "FromJson(string)", "arrays" }, { "FromJson(string)", "objects" },
        { "FromJson(bytes)", "arrays" }, { "FromJson(bytes)", "objects" },
        { "Create(text payload)", "arrays" }, { "Create(text payload)", "objects" },
        { "Envelope.FromJson", "arrays" }, { "Envelope.FromWireJson", "objects" },
    };

    private static CanonicalJsonException Run(string entry, string shape)
    {
        var text = shape == "arrays" ? DeepArrays : DeepObjects;
        return Assert.Throws<CanonicalJsonException>(() => entry switch
        {
            "FromJson(string)" => (object)CanonicalJson.FromJson(text),
            "FromJson(bytes)" => CanonicalJson.FromJson(Encoding.UTF8.GetBytes(text)),
            "Create(text payload)" => MesaEnvelope.Create("offer", "p", text),
            "Envelope.FromJson" => MesaEnvelope.FromJson("{\"payload\":" + text + "}"),
            _ => MesaEnvelope.FromWireJson("{\"payload\":" + text + "}"),
        });
    }

    [Theory]
    [MemberData(nameof(EntryPoints))]
    public void Ten_thousand_levels_are_refused_within_50_ms(string entry, string shape)
    {
        Run(entry, shape); // warm-up: JIT and first-use costs are not what is measured

        var clock = Stopwatch.StartNew();
        var ex = Run(entry, shape);
        clock.Stop();

        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(50), $"{entry} on {Levels} levels of {shape} took {clock.Elapsed.TotalMilliseconds:F1} ms");
        Assert.Contains($"deeper than {CanonicalJson.MaxDepth} levels", ex.Message);
        Assert.Contains("at byte ", ex.Message);
    }

    [Theory]
    [MemberData(nameof(EntryPoints))]
    public void The_error_names_the_path_to_the_first_level_too_many(string entry, string shape)
    {
        var ex = Run(entry, shape);
        var root = entry switch { "Create(text payload)" => "payload", "Envelope.FromJson" or "Envelope.FromWireJson" => "payload", _ => "" };
        var steps = shape == "arrays"
            ? string.Concat(Enumerable.Repeat("[0]", CanonicalJson.MaxDepth))
            : string.Join(".", Enumerable.Repeat("a", CanonicalJson.MaxDepth));
        var expected = root.Length == 0 ? steps : shape == "arrays" ? root + steps : root + "." + steps;
        Assert.Equal(expected, ex.JsonPath);
    }

    [Fact]
    public void The_path_counts_array_items_and_names_keys_as_the_writer_does()
    {
        // Two siblings before the deep one, a key that needs quoting, and the limit reached exactly on the last branch.
        var deep = new string('[', CanonicalJson.MaxDepth) + new string(']', CanonicalJson.MaxDepth);
        var text = "{\"x y\":[1,{\"b\":2},[" + deep + "]]}";
        var ex = Assert.Throws<CanonicalJsonException>(() => CanonicalJson.FromJson(text));

        Assert.StartsWith("[\"x y\"][2][0][0]", ex.JsonPath);
        Assert.Equal(CanonicalJson.MaxDepth, ex.JsonPath.Count(c => c == '[')); // one segment per open level
    }

    [Fact]
    public void The_limit_itself_is_accepted_from_text_and_many_shallow_brackets_are_not_mistaken_for_depth()
    {
        var atLimit = new string('[', CanonicalJson.MaxDepth) + new string(']', CanonicalJson.MaxDepth);
        Assert.Equal(Encoding.UTF8.GetBytes(atLimit), CanonicalJson.FromJson(atLimit));

        // Thousands of brackets, none deeper than two, some inside strings.
        var wide = "[" + string.Join(",", Enumerable.Repeat("[1,\"[[[{{{\"]", 2000)) + "]";
        Assert.Equal(Encoding.UTF8.GetBytes(wide), CanonicalJson.FromJson(wide));
        var envelope = MesaEnvelope.Create("offer", "p", "{\"items\":" + wide + "}");
        Assert.Equal("{\"items\":" + wide + "}", envelope.PayloadJson);
    }

    [Fact]
    public void Deep_text_that_is_not_json_is_still_refused_as_deep_and_shallow_garbage_as_not_json()
    {
        var deepThenBroken = new string('[', 300) + "nope";
        Assert.Contains("deeper than", Assert.Throws<CanonicalJsonException>(() => CanonicalJson.FromJson(deepThenBroken)).Message);

        var brokenEarly = "[[[ nope" + new string('[', 300);
        Assert.Contains("not valid JSON", Assert.Throws<CanonicalJsonException>(() => CanonicalJson.FromJson(brokenEarly)).Message);
    }
}
