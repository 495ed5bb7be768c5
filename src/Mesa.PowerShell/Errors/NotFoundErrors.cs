using System.Management.Automation;
using Mesa.Client;

namespace Mesa.PowerShell.Infrastructure;

/// <summary>
/// A 404 for an id the user gave. The server says only "deliberation not found"; the record keeps its error id and
/// category (from <see cref="ErrorRecords"/>) and its message names the id, the server and how to list what exists.
/// </summary>
internal static class NotFoundErrors
{
    /// <summary>The record for <paramref name="id"/>, a <paramref name="noun"/> that <paramref name="lister"/> lists.</summary>
    public static ErrorRecord For(MesaNotFoundException exception, string noun, string id, string lister)
    {
        var record = ErrorRecords.From(exception, id);
        // Scheme, host and port only: enough to tell servers apart, nothing of the path or query.
        var server = exception.RequestUri is { IsAbsoluteUri: true } uri ? $" on {uri.GetLeftPart(UriPartial.Authority)}" : "";
        record.ErrorDetails = new ErrorDetails($"No {noun} has the id '{id}'{server} (the server said: {exception.Message}).")
        {
            RecommendedAction = $"Check the id: {lister} lists the {noun}s there, and tab completion offers their ids. A different server? Pass -Connection.",
        };
        return record;
    }
}
