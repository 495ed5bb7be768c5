namespace Mesa.LocalServer.Storage;

/// <summary>
/// The SQLite schema. Every table orders by an integer <c>seq</c> (insertion order: "oldest first", policy evaluation
/// order) and keeps the protocol's text ids unique beside it. <c>mesa_meta</c> records the protocol generation
/// (<c>protocol</c> = <c>v1</c> or <c>v2</c>) the file holds.
/// </summary>
internal static class StoreSchema
{
    /// <summary>Stored in <c>PRAGMA user_version</c>; a file with a newer version is refused.</summary>
    public const int Version = 1;

    /// <summary>The generation's name as <c>mesa_meta</c> records it (<c>v1</c>, <c>v2</c>).</summary>
    public static string ProfileName(Mesa.Client.MesaProfile profile) => profile == Mesa.Client.MesaProfile.V1 ? "v1" : "v2";

    public const string CreateTables = """
        CREATE TABLE IF NOT EXISTS principal (
            seq          INTEGER PRIMARY KEY,
            id           TEXT NOT NULL UNIQUE,
            org          TEXT NOT NULL,
            public_key   TEXT NOT NULL UNIQUE,
            capabilities TEXT NOT NULL DEFAULT '[]',
            created_at   TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS deliberation (
            seq               INTEGER PRIMARY KEY,
            id                TEXT NOT NULL UNIQUE,
            title             TEXT NOT NULL,
            counterparty_slug TEXT,
            stage             TEXT NOT NULL,
            status            TEXT NOT NULL,
            created_at        TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS commitment (
            seq                INTEGER PRIMARY KEY,
            id                 TEXT NOT NULL UNIQUE,
            type               TEXT NOT NULL,
            principal_id       TEXT NOT NULL REFERENCES principal(id),
            deliberation_id    TEXT REFERENCES deliberation(id),
            payload            TEXT NOT NULL,
            signature          TEXT NOT NULL,
            status             TEXT NOT NULL,
            envelope_id        TEXT NOT NULL,
            envelope_timestamp TEXT NOT NULL,
            parent_id          TEXT,
            created_at         TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_commitment_deliberation ON commitment(deliberation_id, seq);
        CREATE TABLE IF NOT EXISTS turn (
            seq                INTEGER PRIMARY KEY,
            id                 TEXT NOT NULL UNIQUE,
            deliberation_id    TEXT NOT NULL REFERENCES deliberation(id),
            speaker_id         TEXT NOT NULL REFERENCES principal(id),
            content            TEXT NOT NULL,
            turn_index         INTEGER NOT NULL,
            signature          TEXT NOT NULL,
            envelope_id        TEXT NOT NULL,
            envelope_timestamp TEXT NOT NULL,
            parent_id          TEXT,
            created_at         TEXT NOT NULL,
            UNIQUE (deliberation_id, turn_index)
        );
        CREATE TABLE IF NOT EXISTS policy (
            seq            INTEGER PRIMARY KEY,
            id             TEXT NOT NULL UNIQUE,
            name           TEXT NOT NULL,
            scope_kind     TEXT NOT NULL,
            scope_ref      TEXT,
            predicate_name TEXT NOT NULL,
            params         TEXT NOT NULL DEFAULT '{}',
            action         TEXT NOT NULL,
            route_to       TEXT,
            enabled        INTEGER NOT NULL DEFAULT 1,
            hits30d        INTEGER NOT NULL DEFAULT 0,
            origin         TEXT NOT NULL DEFAULT 'api',
            created_at     TEXT NOT NULL,
            CHECK (action <> 'route' OR (route_to IS NOT NULL AND route_to <> ''))
        );
        CREATE INDEX IF NOT EXISTS ix_policy_scope ON policy(enabled, scope_kind, scope_ref);
        CREATE TABLE IF NOT EXISTS mesa_meta (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """;
}
