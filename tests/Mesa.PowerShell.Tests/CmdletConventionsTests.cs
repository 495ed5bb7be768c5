using System.Collections;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Xml.Linq;
using Mesa.Client;
using Mesa.PowerShell.Commands;

namespace Mesa.PowerShell.Tests;

/// <summary>
/// The conventions every cmdlet and every response model keeps, read from the built assembly and the built help
/// (out/Mesa/en-US, the MAML that Get-Help reads): a new cmdlet or model that breaks one fails here.
/// </summary>
public sealed class CmdletConventionsTests
{
    /// <summary>Verbs whose cmdlets change something outside the pipeline: server data, files, processes, the session.</summary>
    private static readonly HashSet<string> ChangingVerbs = ["Add", "Close", "Set", "Submit", "Remove", "Start", "Stop", "Export", "Disconnect", "Clear", "Reset", "Update", "Register", "Unregister", "Publish", "Install", "Uninstall"];

    /// <summary>Verbs whose cmdlets only read or compute; Connect-Mesa only chooses the session's default connection.</summary>
    private static readonly HashSet<string> ReadingVerbs = ["Get", "Test", "ConvertTo", "Import", "Connect"];

    /// <summary>New-* cmdlets that create on the server; the others (keys, envelopes) make objects in memory only.</summary>
    private static readonly HashSet<string> NewOnTheServer = ["New-MesaPrincipal", "New-MesaDeliberation"];

    private static readonly HashSet<string> NewInMemory = ["New-MesaKeypair", "New-MesaEnvelope"];

    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";

    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    internal static readonly Type[] CmdletTypes = typeof(ConnectMesaCommand).Assembly.GetTypes()
        .Where(t => typeof(Cmdlet).IsAssignableFrom(t) && !t.IsAbstract).OrderBy(t => t.Name).ToArray();

    private static CmdletAttribute AttributeOf(Type t) => t.GetCustomAttribute<CmdletAttribute>()!;

    private static string NameOf(Type t) => $"{AttributeOf(t).VerbName}-{AttributeOf(t).NounName}";

    /// <summary>The cmdlets that change state, by the rules above; each must support -WhatIf and -Confirm.</summary>
    internal static string[] StateChanging() => CmdletTypes.Select(NameOf).Where(ChangesState).Order().ToArray();

    private static bool ChangesState(string name)
    {
        var verb = name[..name.IndexOf('-')];
        if (verb == "New") return NewOnTheServer.Contains(name);
        return ChangingVerbs.Contains(verb);
    }

    [Fact]
    public void Every_cmdlet_is_a_verb_noun_command_class_with_an_approved_verb()
    {
        var approved = new[] { typeof(VerbsCommon), typeof(VerbsData), typeof(VerbsLifecycle), typeof(VerbsDiagnostic), typeof(VerbsCommunications), typeof(VerbsSecurity), typeof(VerbsOther) }
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static)).Select(f => (string)f.GetValue(null)!).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(CmdletTypes);
        Assert.All(CmdletTypes, t =>
        {
            var attribute = t.GetCustomAttribute<CmdletAttribute>();
            Assert.True(attribute is not null, $"{t.Name} derives from Cmdlet but has no [Cmdlet]");
            Assert.Equal(attribute!.VerbName + attribute.NounName + "Command", t.Name);
            Assert.True(approved.Contains(attribute.VerbName), $"{NameOf(t)}: '{attribute.VerbName}' is not an approved verb");
            Assert.StartsWith("Mesa", attribute.NounName);
            Assert.Equal("Mesa.PowerShell.Commands", t.Namespace);
            Assert.True(t.IsPublic && t.IsSealed, $"{t.Name} should be public and sealed");
        });
    }

    [Fact]
    public void Every_cmdlet_declares_its_output_type()
    {
        Assert.All(CmdletTypes, t => Assert.True(t.GetCustomAttributes<OutputTypeAttribute>(false).Any(), $"{t.Name} has no [OutputType]"));
    }

    [Fact]
    public void Every_verb_is_classified_as_changing_state_or_not()
    {
        // A cmdlet with a verb in neither list must be put in one, so that the ShouldProcess rule below covers it.
        Assert.All(CmdletTypes.Select(NameOf), name =>
        {
            var verb = name[..name.IndexOf('-')];
            var known = verb == "New" ? NewOnTheServer.Contains(name) || NewInMemory.Contains(name) : ChangingVerbs.Contains(verb) || ReadingVerbs.Contains(verb);
            Assert.True(known, $"{name}: say whether it changes state (ChangingVerbs/NewOnTheServer) or not (ReadingVerbs/NewInMemory)");
        });
    }

    [Fact]
    public void Every_cmdlet_that_changes_state_supports_should_process()
    {
        var changing = StateChanging();
        Assert.Contains("Add-MesaTurn", changing);
        Assert.Contains("Submit-MesaCommitment", changing);
        Assert.All(CmdletTypes.Where(t => changing.Contains(NameOf(t))), t =>
            Assert.True(AttributeOf(t).SupportsShouldProcess, $"{NameOf(t)} changes state but has no SupportsShouldProcess"));
    }

    [Fact]
    public void Every_cmdlet_has_help_with_a_synopsis_and_an_example()
    {
        var help = XDocument.Load(Path.Combine(BuiltModule.Directory, "en-US", "Mesa.PowerShell.dll-Help.xml"));
        var commands = help.Descendants(Command + "command")
            .ToDictionary(c => (string)c.Element(Command + "details")!.Element(Command + "name")!, c => c);
        Assert.All(CmdletTypes.Select(NameOf), name =>
        {
            Assert.True(commands.TryGetValue(name, out var command), $"{name} has no help in the built MAML");
            var synopsis = string.Concat(command!.Element(Command + "details")!.Descendants().Where(e => e.Name.LocalName == "para").Select(e => e.Value));
            Assert.False(string.IsNullOrWhiteSpace(synopsis), $"{name}'s help has no synopsis");
            var examples = command.Descendants(Command + "example").ToList();
            Assert.True(examples.Count > 0, $"{name}'s help has no example");
            Assert.All(examples, e => Assert.False(string.IsNullOrWhiteSpace((string?)e.Element(Dev + "code")), $"{name} has an example without code"));
        });
    }

    /// <summary>The response models: what MesaClient's route methods return, and every Mesa.Client type inside those.</summary>
    public static TheoryData<Type> ResponseModels()
    {
        var found = new SortedSet<Type>(Comparer<Type>.Create((a, b) => string.CompareOrdinal(a.FullName, b.FullName)));
        var pending = new Queue<Type>(typeof(MesaClient).GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Select(m => m.ReturnType).SelectMany(Unwrap));
        while (pending.TryDequeue(out var type))
        {
            if (type.Assembly != typeof(MesaClient).Assembly || !type.IsClass || !found.Add(type)) continue;
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                foreach (var inner in Unwrap(property.PropertyType)) pending.Enqueue(inner);
            }
        }

        var data = new TheoryData<Type>();
        foreach (var type in found) data.Add(type);
        return data;
    }

    private static IEnumerable<Type> Unwrap(Type type) =>
        type.IsGenericType ? type.GetGenericArguments().SelectMany(Unwrap) : type.IsArray ? Unwrap(type.GetElementType()!) : [type];

    [Theory]
    [MemberData(nameof(ResponseModels))]
    public void Response_models_have_no_public_setter_and_no_mutable_collection_type(Type model)
    {
        Assert.Equal("Mesa.Client", model.Namespace);
        foreach (var property in model.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var setter = property.GetSetMethod();
            if (setter is not null)
            {
                var initOnly = setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit));
                Assert.True(initOnly, $"{model.Name}.{property.Name} has a public setter; make it init");
            }

            var type = property.PropertyType;
            if (type == typeof(string) || type == typeof(object) || !typeof(IEnumerable).IsAssignableFrom(type)) continue;
            var readOnlyInterface = type.IsInterface && type.IsGenericType &&
                type.GetGenericTypeDefinition() is var definition &&
                (definition == typeof(IReadOnlyList<>) || definition == typeof(IReadOnlyCollection<>) || definition == typeof(IReadOnlyDictionary<,>));
            Assert.True(readOnlyInterface, $"{model.Name}.{property.Name} is a {type.Name}; expose a read-only collection");
        }
    }

    [Fact]
    public async Task Collections_of_models_read_from_a_server_cannot_be_changed()
    {
        // What PowerShell users hold: a List<T> behind IReadOnlyList<T> would take $principal.Capabilities.Add('x').
        const string created = "\"created_at\":\"2026-11-28T11:50:16\"";
        using var server = new ScriptedHttpServer((_, method, path) => (method, path) switch
        {
            ("GET", "/principals/p1") => (200, $$"""{"id":"p1",{{created}},"org":"acme","public_key":"{{new string('a', 64)}}","capabilities":["offer","counter"]}"""),
            ("GET", "/deliberations/d1") => (200, $$"""
                {"id":"d1",{{created}},"title":"t","counterparty_slug":"c","stage":"offer","status":"open",
                 "turns":[{"id":"t1",{{created}},"deliberation_id":"d1","index":0,"speaker_id":"p1","content":"hi"}],
                 "commitments":[{"id":"c1",{{created}},"type":"offer","principal_id":"p1","status":"active"}]}
                """),
            ("POST", "/commitments") => (201, """
                {"id":"c1","type":"offer","principal_id":"p1","status":"flagged","envelope_id":"e1",
                 "decision":{"action":"flag","applied":[{"policy_id":"1","policy_name":"big","action":"flag","route_to":null}]}}
                """),
            _ => (404, """{"detail":"not found"}"""),
        });
        using var client = new MesaClient(new MesaClientOptions { BaseUri = server.Uri, Timeout = TimeSpan.FromSeconds(30), Retry = MesaRetryOptions.None });

        var principal = await client.GetPrincipalAsync("p1");
        var detail = await client.GetDeliberationAsync("d1");
        var envelope = MesaEnvelope.Create("offer", "p1", new Dictionary<string, object?> { ["summary"] = "s" }, deliberationId: "d1")
            .Sign(MesaKeypair.Generate());
        var commitment = await client.SubmitCommitmentAsync(envelope);

        Assert.Equal(["offer", "counter"], principal.Capabilities);
        Assert.Single(detail.Turns);
        Assert.Single(detail.Commitments);
        Assert.Single(commitment.Decision.Applied);
        foreach (var (name, value) in new (string, IEnumerable)[]
                 {
                     ("MesaPrincipal.Capabilities", principal.Capabilities), ("MesaDeliberationDetail.Turns", detail.Turns),
                     ("MesaDeliberationDetail.Commitments", detail.Commitments), ("MesaDecision.Applied", commitment.Decision.Applied),
                 })
        {
            Assert.True(value is IList { IsReadOnly: true }, $"{name} is a writable {value.GetType().Name}");
        }
    }
}
