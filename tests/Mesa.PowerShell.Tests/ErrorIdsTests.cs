using System.Management.Automation;
using System.Reflection;
using Mesa.Client;
using Mesa.PowerShell.Infrastructure;

namespace Mesa.PowerShell.Tests;

/// <summary>
/// The module's own error ids live in <see cref="ErrorIds"/>: one constant and one factory per id, so an id never
/// carries two messages (before, EnvelopeNotSigned had three wordings in three cmdlets, NoDeliberationId two), and no
/// cmdlet builds an ErrorRecord or spells an id itself.
/// </summary>
public sealed class ErrorIdsTests
{
    private static readonly string SourceRoot = Path.Combine(BuiltModule.RepoRoot, "src", "Mesa.PowerShell");

    // An id a component carries on its exception, spelt there too: the journal that cannot be opened. Its message has
    // the same shape as the factory's ("Cannot open the journal <path>: <reason>").
    private static readonly HashSet<(string Id, string File)> SpeltElsewhere = [("JournalUnavailable", Path.Combine("Bulk", "SubmissionJournal.cs"))];

    private static List<string> Ids() => typeof(ErrorIds)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f is { IsLiteral: true } && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToList();

    private static List<MethodInfo> Factories() => typeof(ErrorIds)
        .GetMethods(BindingFlags.Public | BindingFlags.Static)
        .Where(m => m.ReturnType == typeof(ErrorRecord))
        .ToList();

    [Fact]
    public void Every_id_has_exactly_one_factory_and_every_factory_gives_an_id()
    {
        var ids = Ids();
        Assert.Equal(ids.Count, ids.Distinct().Count());

        var producedBy = Factories().Select(m => (Id: Invoke(m).FullyQualifiedErrorId, Factory: m.Name)).ToList();
        Assert.All(producedBy, p => Assert.Contains(p.Id, ids));
        foreach (var id in ids)
        {
            var factories = producedBy.Where(p => p.Id == id).Select(p => p.Factory).ToList();
            Assert.True(factories.Count == 1, $"{id} is made by {factories.Count} factories ({string.Join(", ", factories)}); one id, one message.");
        }
    }

    [Fact]
    public void Every_factory_record_has_a_message_and_a_real_exception()
    {
        foreach (var factory in Factories())
        {
            var record = Invoke(factory);
            Assert.False(string.IsNullOrWhiteSpace(record.Exception.Message), factory.Name);
            Assert.NotEqual(typeof(Exception), record.Exception.GetType());
        }
    }

    [Fact]
    public void Only_the_errors_folder_builds_records_and_spells_the_modules_ids()
    {
        var ids = Ids();
        var files = Directory.EnumerateFiles(SourceRoot, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(SourceRoot, f))
            .Where(f => !f.StartsWith("obj" + Path.DirectorySeparatorChar) && !f.StartsWith("bin" + Path.DirectorySeparatorChar))
            .ToList();
        Assert.Contains(Path.Combine("Errors", "ErrorIds.cs"), files);

        var problems = new List<string>();
        foreach (var file in files)
        {
            var text = File.ReadAllText(Path.Combine(SourceRoot, file));
            var inErrors = file.StartsWith("Errors" + Path.DirectorySeparatorChar);
            if (!inErrors && text.Contains("new ErrorRecord(")) problems.Add($"{file} builds an ErrorRecord itself");
            if (file == Path.Combine("Errors", "ErrorIds.cs")) continue;
            problems.AddRange(ids
                .Where(id => text.Contains($"\"{id}\"") && !SpeltElsewhere.Contains((id, file)))
                .Select(id => $"{file} spells the id \"{id}\" (use ErrorIds.{id})"));
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void An_id_used_by_three_cmdlets_reads_the_same_from_each()
    {
        var envelope = Envelope();
        var written = ErrorIds.EnvelopeNotSignedError(envelope, "written", null);
        var sent = ErrorIds.EnvelopeNotSignedError(envelope, "sent", "pass -Keypair to sign it here");
        const string start = "Envelope evt_ids (offer by p1) is not signed, so it was not ";
        Assert.StartsWith(start, written.Exception.Message);
        Assert.StartsWith(start, sent.Exception.Message);
        Assert.Equal(written.CategoryInfo.Category, sent.CategoryInfo.Category);
        Assert.Same(envelope, sent.TargetObject);
    }

    private static ErrorRecord Invoke(MethodInfo factory) =>
        (ErrorRecord)factory.Invoke(null, factory.GetParameters().Select(Sample).ToArray())!;

    // A value for each parameter type a factory takes; a new type fails here until a sample is added.
    private static object? Sample(ParameterInfo parameter)
    {
        var type = parameter.ParameterType;
        if (type == typeof(string)) return "sample";
        if (type == typeof(long)) return 3L;
        if (type == typeof(Uri)) return new Uri("http://127.0.0.1:9/");
        if (type == typeof(MesaEnvelope)) return Envelope();
        if (type == typeof(MesaException)) return new MesaForbiddenException("admin_forbidden: no", 403, null, null, "admin_forbidden");
        if (type == typeof(ArgumentException)) return new ArgumentException("bad path");
        if (type == typeof(FileNotFoundException)) return new FileNotFoundException("no file");
        if (type == typeof(InvalidDataException)) return new InvalidDataException("not a key file");
        if (type == typeof(Exception)) return parameter.HasDefaultValue ? null : new IOException("disk full");
        if (type == typeof(object)) return "target";
        throw new InvalidOperationException($"No sample for {type.Name} ({parameter.Member.Name}.{parameter.Name}); add one.");
    }

    private static MesaEnvelope Envelope() =>
        MesaEnvelope.Create("offer", "p1", new Dictionary<string, object?> { ["summary"] = "s" }, deliberationId: "d1", id: "evt_ids");
}
