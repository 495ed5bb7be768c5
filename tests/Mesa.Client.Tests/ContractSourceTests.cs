using System.Reflection;
using System.Text.RegularExpressions;
using Mesa.Client.Tests.Support;

namespace Mesa.Client.Tests;

/// <summary>
/// The facts of the wire contract are spelt in <c>src/Mesa.Client/Protocol</c> only: a route template, an error code,
/// an environment variable name or the ready line restated elsewhere in <c>src/</c> is how the client, the server and
/// the module drifted apart before (issue 11). Tests may restate them on purpose, as checks that a user-facing name
/// never changes, so only <c>src/</c> is scanned.
/// </summary>
public sealed class ContractSourceTests
{
    private const string ProtocolFolder = "src/Mesa.Client/Protocol/";

    private static readonly Regex RouteLiteral = new("\"/(health|principals|commitments|deliberations|_local)\\b", RegexOptions.CultureInvariant);

    [Fact]
    public void The_source_scan_finds_the_protocol_files_it_exempts()
    {
        var files = RepoFiles.SourceFiles();
        Assert.Contains(ProtocolFolder + "MesaRoutes.cs", files);
        Assert.Contains(ProtocolFolder + "MesaErrorCodes.cs", files);
        Assert.Contains("src/Mesa.LocalServer/Endpoints/EndpointMap.cs", files);
        Assert.Contains("src/Mesa.PowerShell/Commands/ConnectMesaCommand.cs", files);
    }

    [Fact]
    public void No_route_template_is_spelt_outside_the_protocol_folder()
    {
        var problems = Scan(text => RouteLiteral.Matches(text).Select(m => m.Value + "\"…"));
        Assert.Empty(problems);
    }

    [Fact]
    public void No_error_code_environment_variable_or_ready_line_is_spelt_outside_the_protocol_folder()
    {
        var facts = Constants(typeof(MesaErrorCodes))
            .Concat(Constants(typeof(MesaEnvironmentVariables)))
            .Append(LocalServerReadyLine.Prefix)
            .Select(v => "\"" + v)
            .ToList();
        Assert.Contains("\"policy_blocked", facts);
        Assert.Contains("\"MESA_ADMIN_TOKEN", facts);

        var problems = Scan(text => facts.Where(text.Contains));
        Assert.Empty(problems);
    }

    private static IEnumerable<string> Constants(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!);

    private static List<string> Scan(Func<string, IEnumerable<string>> find)
    {
        var root = RepoFiles.Root();
        var problems = new List<string>();
        foreach (var file in RepoFiles.SourceFiles().Where(f => !f.StartsWith(ProtocolFolder, StringComparison.Ordinal)))
        {
            var code = string.Join('\n', File.ReadAllLines(Path.Combine(root, file)).Where(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal)));
            problems.AddRange(find(code).Distinct().Select(hit => $"{file} spells {hit} (read it from Mesa.Client/Protocol)"));
        }

        return problems;
    }
}
