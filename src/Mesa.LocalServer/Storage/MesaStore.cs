using Mesa.Client;
using Mesa.LocalServer.Hosting;
using Mesa.LocalServer.Policies;

namespace Mesa.LocalServer.Storage;

/// <summary>
/// The server's SQLite store, as the endpoints see it: one connection, used under one lock
/// (<see cref="StoreConnection"/>), so every write is a short transaction, turn indexes and hit counts are assigned
/// without races, and readers never see half a request. Each aggregate has its store (<see cref="PrincipalStore"/>,
/// <see cref="DeliberationStore"/>, <see cref="CommitmentStore"/>, <see cref="PolicyStore"/>); commitments and turns
/// are written through the group commit (<see cref="GroupCommitWriter"/>). Opening, durability and the file's
/// generation check: <see cref="StoreFile"/>.
/// </summary>
internal sealed class MesaStore : IDisposable
{
    private readonly StoreConnection _connection;
    private readonly GroupCommitWriter _writer;
    private readonly PrincipalStore _principals;
    private readonly DeliberationStore _deliberations;
    private readonly PolicyStore _policies;
    private readonly CommitmentStore _commitments;

    private MesaStore(StoreConnection connection)
    {
        _connection = connection;
        _writer = new GroupCommitWriter(connection.CommitBatch);
        _principals = new PrincipalStore(connection);
        _deliberations = new DeliberationStore(connection);
        _policies = new PolicyStore(connection);
        _commitments = new CommitmentStore(connection, _deliberations, _policies);
    }

    /// <summary>Where the data lives: a full file path, or <c>:memory:</c>.</summary>
    public string Location => _connection.Location;

    /// <summary>Opens (creating when missing) the store at <paramref name="path"/>, or an in-memory one for <c>:memory:</c>.</summary>
    /// <exception cref="StartupException">The file cannot be opened or is not a mesa database.</exception>
    public static MesaStore Open(string path, MesaProfile profile = MesaProfile.V2)
    {
        var connection = StoreFile.Open(path, profile);
        try
        {
            return new MesaStore(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    // ---- principals ----

    public PrincipalRecord? FindPrincipal(string id) => _principals.Find(id);

    public IReadOnlyList<PrincipalRecord> ListPrincipals() => _principals.List();

    /// <exception cref="DuplicateKeyException">The public key is already registered.</exception>
    public PrincipalRecord CreatePrincipal(string org, string publicKey) => _principals.Create(org, publicKey);

    public PrincipalRecord? SetCapabilities(string id, IReadOnlyList<string> capabilities) => _principals.SetCapabilities(id, capabilities);

    // ---- deliberations and turns ----

    public DeliberationRecord CreateDeliberation(string title, string? counterpartySlug, string stage) =>
        _deliberations.Create(title, counterpartySlug, stage);

    public IReadOnlyList<DeliberationRecord> ListDeliberations(string? status) => _deliberations.List(status);

    public DeliberationDetail? GetDeliberation(string id) => _deliberations.Get(id);

    public DeliberationRecord? UpdateDeliberation(string id, string? status, string? stage) => _deliberations.Update(id, status, stage);

    /// <summary>
    /// The deliberation checks of <c>POST /deliberations/{id}/turns</c> and the write. The index is the next one for the
    /// deliberation, read and used inside the writer's transaction, so concurrent turns never collide.
    /// </summary>
    public Task<TurnOutcome> AppendTurnAsync(TurnDraft draft) => _writer.EnqueueAsync(() => _deliberations.ApplyTurn(draft));

    // ---- commitments ----

    /// <summary>
    /// Gates 7 and 8 of <c>POST /commitments</c> and the write, in one transaction (shared with other writes by group
    /// commit): the deliberation (when required) must exist and be open; the policies in scope are evaluated and every
    /// one that fires gets a hit (kept even when the request ends blocked); a block stores nothing else.
    /// </summary>
    public Task<CommitmentOutcome> SubmitCommitmentAsync(CommitmentDraft draft, bool requireDeliberation) =>
        _writer.EnqueueAsync(() => _commitments.Apply(draft, requireDeliberation));

    // ---- policies ----

    public IReadOnlyList<PolicyRecord> ListPolicies() => _policies.List();

    /// <exception cref="DuplicateKeyException">A policy with that id exists.</exception>
    public PolicyRecord AddPolicy(PolicyInput input) => _policies.Add(input);

    public bool DeletePolicy(string id) => _policies.Delete(id);

    /// <inheritdoc cref="PolicyStore.ReplaceFilePolicies"/>
    public void ReplaceFilePolicies(IReadOnlyList<PolicyInput> policies) => _policies.ReplaceFilePolicies(policies);

    public void Dispose()
    {
        // Let queued writes finish before the connection goes.
        _writer.Dispose();
        _connection.Dispose();
    }
}
