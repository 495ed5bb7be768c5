using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Mesa.LocalServer.Hosting;
using Mesa.LocalServer.Python;
using Mesa.LocalServer.Validation;

namespace Mesa.LocalServer.Policies;

/// <summary>
/// Reads <c>--policies FILE</c>: a JSON array of policy objects. Any problem stops the server with a message naming the
/// entry and the reason. An entry without <c>id</c> gets a stable one (from its position and name), so a restart with
/// the same file updates the same rows and keeps their hit counts.
/// </summary>
internal static class PolicyFileLoader
{
    public static IReadOnlyList<PolicyInput> Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"--policies: cannot read '{path}': {ex.Message}", ex);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = false });
        }
        catch (JsonException ex)
        {
            throw new StartupException(
                $"--policies: '{path}' is not valid JSON (line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}): {WithoutPosition(ex.Message)} " +
                "The file must be a JSON array of policy objects.", ex);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new StartupException($"--policies: '{path}' must hold a JSON array of policy objects; its top level is a {document.RootElement.ValueKind}.");
            }

            var policies = new List<PolicyInput>();
            var ids = new Dictionary<string, int>(StringComparer.Ordinal);
            var index = 0;
            foreach (var entry in document.RootElement.EnumerateArray())
            {
                index++;
                var label = Label(entry, index);
                if (entry.ValueKind != JsonValueKind.Object)
                {
                    throw new StartupException($"--policies: '{path}', {label}: a policy must be a JSON object, not a {entry.ValueKind}.");
                }

                var reader = ModelReader.ForObject(entry);
                var policy = PolicyInputReader.Read(reader);
                if (policy is null)
                {
                    var reasons = string.Join("; ", reader.Problems.Select(Describe));
                    throw new StartupException($"--policies: '{path}', {label}: {reasons}");
                }

                policy = policy with { Id = policy.Id ?? StableId(index, policy.Name) };
                if (ids.TryGetValue(policy.Id!, out var other))
                {
                    throw new StartupException($"--policies: '{path}', {label}: the id '{policy.Id}' is already used by entry {other}; ids must be unique.");
                }

                ids.Add(policy.Id!, index);
                policies.Add(policy);
            }

            return policies;
        }
    }

    // System.Text.Json appends " LineNumber: 1 | BytePositionInLine: 0."; the message above says it already.
    private static string WithoutPosition(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return cut < 0 ? message : message[..cut];
    }

    private static string Label(JsonElement entry, int index)
    {
        var label = "entry " + index.ToString(CultureInfo.InvariantCulture);
        if (entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
        {
            label += $" ({PythonText.Repr(JsonStrings.Read(name, out _))})";
        }

        return label;
    }

    // "route_to: Value error, a 'route' policy must name route_to ..."; the leading "body" of the location is dropped.
    private static string Describe(ValidationProblem problem)
    {
        var loc = string.Join(".", problem.Loc.Skip(1).Select(p => Convert.ToString(p, CultureInfo.InvariantCulture)));
        return loc.Length == 0 ? problem.Msg : $"{loc}: {problem.Msg}";
    }

    private static string StableId(int index, string name)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"policies-file:{index.ToString(CultureInfo.InvariantCulture)}:{name}"));
        return Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }
}
