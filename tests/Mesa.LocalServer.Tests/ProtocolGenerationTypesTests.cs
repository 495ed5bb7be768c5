using Mesa.Client;
using Mesa.LocalServer.Hosting;
using Mesa.LocalServer.Schemas;
using Mesa.LocalServer.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Mesa.LocalServer.Tests;

/// <summary>The commitment types follow the generation (issue 9 item 6): v1 has the 11 types without <c>turn</c>.</summary>
public sealed class ProtocolGenerationTypesTests : IDisposable
{
    // The v1 types of the Protocol set, as the server's messages list them (Python's repr of a sorted list).
    private static readonly string V1Known =
        "[" + string.Join(", ", CommitmentTypeSet.For(MesaProfile.V1).Select(t => t.Name).Order(StringComparer.Ordinal).Select(n => $"'{n}'")) + "]";

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_v1_catalog_has_eleven_types_and_v2_adds_turn()
    {
        var v1 = CommitmentTypeCatalog.Load(Array.Empty<string>(), MesaProfile.V1);
        var v2 = CommitmentTypeCatalog.Load(Array.Empty<string>(), MesaProfile.V2);
        Assert.Equal(11, v1.Names.Count);
        Assert.DoesNotContain("turn", v1.Names);
        Assert.False(v1.Contains("turn"));
        Assert.Equal(v1.Names.Append("turn").Order(StringComparer.Ordinal), v2.Names.Order(StringComparer.Ordinal));
        Assert.Equal(v1.Names, CommitmentTypeCatalog.BuiltInNames(MesaProfile.V1));
        Assert.Equal(v2.Names, CommitmentTypeCatalog.BuiltInNames(MesaProfile.V2));
        Assert.Equal(MesaProfile.V1, v1.Profile);
    }

    [Fact]
    public async Task A_v1_server_refuses_turn_as_a_capability_naming_the_eleven_known_types()
    {
        using var server = V1(":memory:");
        var alice = await server.RegisterAsync("offer");
        var response = await server.SendAsync(HttpMethod.Put, $"/principals/{alice.Id}/capabilities", """{"capabilities":["offer","turn"]}""", InProcessServer.AdminToken);
        var problem = response.ShouldHaveProblem("value_error", "body", "capabilities");
        Assert.Equal($"Value error, unknown commitment type(s): ['turn']. known types: {V1Known}", problem.GetProperty("msg").GetString());
        Assert.Equal(new[] { "offer" }, (await server.Client.GetPrincipalAsync(alice.Id)).Capabilities);
    }

    [Fact]
    public async Task A_v1_server_answers_a_turn_commitment_with_403_authority_denied_even_when_the_file_grants_turn()
    {
        var db = Path.Combine(_dir.Path, "v1.db");
        using var server = V1(db);
        var alice = await server.RegisterAsync("offer");
        // A file written before the catalog followed the generation may still grant "turn".
        using (var connection = new SqliteConnection($"Data Source={db};Pooling=False"))
        {
            connection.Open();
            using var update = connection.CreateCommand();
            update.CommandText = "UPDATE principal SET capabilities = '[\"offer\",\"turn\"]' WHERE id = $id";
            update.Parameters.AddWithValue("$id", alice.Id);
            Assert.Equal(1, update.ExecuteNonQuery());
        }

        var turn = MesaEnvelope.Create("turn", alice.Id, Payloads.Turn("hello"), profile: MesaProfile.V1).Sign(alice.Keys);
        var response = await server.PostEnvelopeAsync(turn);
        response.ShouldFail(403, "authority_denied");
        Assert.Equal("turn", response.Detail.GetProperty("type").GetString());
        using var check = new SqliteConnection($"Data Source={db};Pooling=False");
        check.Open();
        using var count = check.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM commitment";
        Assert.Equal(0L, (long)count.ExecuteScalar()!);
    }

    [Fact]
    public async Task A_v2_server_still_accepts_turn()
    {
        using var server = new InProcessServer();
        var alice = await server.RegisterAsync("turn");
        var d = await server.OpenDeliberationAsync();
        (await server.PostEnvelopeAsync(server.Sign(alice, "turn", Payloads.Turn("hi"), d))).ShouldSucceed(201);
    }

    private static InProcessServer V1(string db) =>
        new(new ServerOptions { DatabasePath = db, AdminToken = InProcessServer.AdminToken, Protocol = MesaProfile.V1 });
}
