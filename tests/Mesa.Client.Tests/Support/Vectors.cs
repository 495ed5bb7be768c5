using System.Text.Json;

namespace Mesa.Client.Tests;

/// <summary>Loads the shared test vectors copied beside the test assembly.</summary>
internal static class Vectors
{
    public static JsonElement Load(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "vectors", name);
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.Clone();
    }

    public static IEnumerable<object[]> Cases(string file) =>
        Load(file).GetProperty("cases").EnumerateArray().Select(c => new object[] { c.GetProperty("name").GetString()! });

    public static JsonElement Case(string file, string name) =>
        Load(file).GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
}
