using System.Globalization;
using Mesa.Client;
using Mesa.LocalServer.Hosting;
using Microsoft.Data.Sqlite;

namespace Mesa.LocalServer.Storage;

/// <summary>
/// The protocol generation a file holds (<c>mesa_meta</c> 'protocol'). A file made before the marker gets the
/// generation its rows show: deliberations, turns or commitments in a deliberation are v2, commitments outside one
/// are v1; a file that shows neither takes this server's. A file of the other generation is refused, not converted:
/// its signatures were made over the other generation's canonical fields.
/// </summary>
internal static class StoreGeneration
{
    /// <summary>Refuses a file of the other generation; checked before anything is written.</summary>
    /// <returns>Whether the file already records its generation.</returns>
    /// <exception cref="StartupException">The file holds the other generation's data.</exception>
    public static bool Check(SqliteConnection db, string location, MesaProfile profile, int version)
    {
        if (version == 0) return false; // a new file
        var hasMeta = StoreFile.Scalar(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'mesa_meta'") is not null;
        var recorded = hasMeta ? StoreFile.Scalar(db, "SELECT value FROM mesa_meta WHERE key = 'protocol'") as string : null;
        var generation = recorded ?? Infer(db);
        if (generation is not null && generation != StoreSchema.ProfileName(profile))
        {
            var how = recorded is null ? "its data was made" : "it was made";
            throw new StartupException(
                $"--db: '{location}' holds protocol {generation} data ({how} by a --protocol {generation} server) and this server runs --protocol " +
                $"{StoreSchema.ProfileName(profile)}. Start the server with --protocol {generation}, or give another --db file.");
        }

        return recorded is not null;
    }

    /// <summary>Records <paramref name="profile"/> as the file's generation.</summary>
    public static void Stamp(SqliteConnection db, MesaProfile profile)
    {
        using var insert = db.CreateCommand();
        insert.CommandText = "INSERT OR REPLACE INTO mesa_meta (key, value) VALUES ('protocol', $value)";
        insert.Parameters.AddWithValue("$value", StoreSchema.ProfileName(profile));
        insert.ExecuteNonQuery();
    }

    private static string? Infer(SqliteConnection db)
    {
        var v2 = Convert.ToInt64(StoreFile.Scalar(db,
            "SELECT EXISTS (SELECT 1 FROM deliberation) OR EXISTS (SELECT 1 FROM turn) OR EXISTS (SELECT 1 FROM commitment WHERE deliberation_id IS NOT NULL)"),
            CultureInfo.InvariantCulture) != 0;
        var v1 = Convert.ToInt64(StoreFile.Scalar(db, "SELECT EXISTS (SELECT 1 FROM commitment WHERE deliberation_id IS NULL)"), CultureInfo.InvariantCulture) != 0;
        return v2 == v1 ? null : v2 ? "v2" : "v1";
    }
}
