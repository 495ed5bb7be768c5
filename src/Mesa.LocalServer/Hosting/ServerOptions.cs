using Mesa.Client;

namespace Mesa.LocalServer.Hosting;

/// <summary>Start-up settings of the local server (see <see cref="ServerOptionsParser"/> for the command line).</summary>
public sealed record ServerOptions
{
    /// <summary>The default listen URL.</summary>
    public const string DefaultUrl = "http://127.0.0.1:8000";

    /// <summary>The default database file (relative to the working directory).</summary>
    public const string DefaultDatabase = "mesa-local.db";

    /// <summary>The database name that means a throwaway in-memory store.</summary>
    public const string InMemoryDatabase = LocalServerContract.InMemoryDatabase;

    /// <summary>Where to listen.</summary>
    public ListenAddress Listen { get; init; } = ListenAddress.Parse(DefaultUrl);

    /// <summary>The SQLite file, or <see cref="InMemoryDatabase"/>.</summary>
    public string DatabasePath { get; init; } = DefaultDatabase;

    /// <summary>The admin token for the admin routes; null or empty disables them (<c>admin_disabled</c>).</summary>
    public string? AdminToken { get; init; }

    /// <summary>A JSON file of policies loaded at start, or null.</summary>
    public string? PoliciesFile { get; init; }

    /// <summary>Directories of extra commitment type packs.</summary>
    public IReadOnlyList<string> SchemaDirectories { get; init; } = Array.Empty<string>();

    /// <summary>The protocol generation spoken (section 1 of the contract).</summary>
    public MesaProfile Protocol { get; init; } = MesaProfile.V2;

    /// <summary>A process whose end stops this server (so it cannot outlive the pwsh that started it); null for none.</summary>
    public int? ParentProcessId { get; init; }

    /// <summary>How long a request body may take to arrive; tests shorten it (the server uses <see cref="Http.RequestBodyReader.BodyDeadline"/>).</summary>
    internal TimeSpan BodyDeadline { get; init; } = Http.RequestBodyReader.BodyDeadline;

    /// <summary>True when the store is in memory.</summary>
    public bool IsInMemory => DatabasePath == InMemoryDatabase;

    /// <summary>Describes the settings; the admin token is never shown.</summary>
    public override string ToString() =>
        $"ServerOptions(Listen={Listen}, Database={DatabasePath}, AdminToken={(string.IsNullOrEmpty(AdminToken) ? "none" : "<redacted>")}, " +
        $"Policies={PoliciesFile ?? "none"}, Schemas=[{string.Join(", ", SchemaDirectories)}], Protocol={Protocol}, ParentPid={ParentProcessId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"})";
}
