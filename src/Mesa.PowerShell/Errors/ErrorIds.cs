using System.Management.Automation;
using Mesa.Client;

namespace Mesa.PowerShell.Infrastructure;

/// <summary>
/// The error ids the module gives of its own accord, each with the one factory that writes its message (the other
/// ids come from <see cref="ErrorRecords"/>: a server's code, a core exception's class, or an id a component
/// carries on its exception). An id is a contract (scripts and tests match on it), so a constant is never renamed;
/// and since a user looks an id up to learn what went wrong, one id has one message, whichever cmdlet writes it.
/// ErrorIdsTests checks both: every constant has exactly one factory and no cmdlet builds a record of its own.
/// </summary>
internal static class ErrorIds
{
    public const string NoConnection = "NoConnection";
    public const string InvalidEnvironmentConnection = "InvalidEnvironmentConnection";
    public const string AdminTokenRejected = "AdminTokenRejected";
    public const string NoUri = "NoUri";
    public const string UserInfoInUri = "UserInfoInUri";
    public const string InvalidProfile = "InvalidProfile";
    public const string PayloadIsNotAPayload = "PayloadIsNotAPayload";
    public const string IdGivenForManyItems = "IdGivenForManyItems";
    public const string InvalidPublicKey = "InvalidPublicKey";
    public const string DeliberationsNotSupported = "DeliberationsNotSupported";
    public const string NothingToChange = "NothingToChange";
    public const string EnvelopeNotSigned = "EnvelopeNotSigned";
    public const string DuplicateEnvelope = "DuplicateEnvelope";
    public const string NoDeliberationId = "NoDeliberationId";
    public const string ConflictingAdminToken = "ConflictingAdminToken";
    public const string PolicyFileNotFound = "PolicyFileNotFound";
    public const string LocalServerNotFound = "LocalServerNotFound";
    public const string InvalidKeyFilePath = "InvalidKeyFilePath";
    public const string KeyFilePathIsDirectory = "KeyFilePathIsDirectory";
    public const string KeyFileFolderNotFound = "KeyFileFolderNotFound";
    public const string KeyFileExists = "KeyFileExists";
    public const string KeyFileNotFound = "KeyFileNotFound";
    public const string InvalidKeyFile = "InvalidKeyFile";
    public const string InvalidEnvelopeFilePath = "InvalidEnvelopeFilePath";
    public const string EnvelopeFilePathIsDirectory = "EnvelopeFilePathIsDirectory";
    public const string EnvelopeFileFolderNotFound = "EnvelopeFileFolderNotFound";
    public const string EnvelopeFileExists = "EnvelopeFileExists";
    public const string EnvelopeFileNotFound = "EnvelopeFileNotFound";
    public const string InvalidEnvelopeLine = "InvalidEnvelopeLine";
    public const string JournalUnavailable = "JournalUnavailable";
    public const string JournalWriteFailed = "JournalWriteFailed";

    // Connections

    public static ErrorRecord NoConnectionError() => Record(
        NoConnection, ErrorCategory.ConnectionError, null,
        new InvalidOperationException(
            "There is no mesa connection. Run Connect-Mesa -Uri <server> first, or set $env:MESA_URL (with $env:MESA_ADMIN_TOKEN and $env:MESA_PROFILE when needed), or pass -Connection."),
        "Connect-Mesa -Uri http://127.0.0.1:8000, or $env:MESA_URL = 'http://127.0.0.1:8000', or Start-MesaLocalServer -Connect for a server on this machine.");

    /// <summary>The environment variables do not make a connection; the message is the reason the variables were refused.</summary>
    public static ErrorRecord InvalidEnvironmentConnectionError(ArgumentException reason) =>
        Record(InvalidEnvironmentConnection, ErrorCategory.InvalidArgument, null, reason);

    /// <summary>The server refused the admin token; <paramref name="tokenSource"/> says where it came from (never the token).</summary>
    public static ErrorRecord AdminTokenRejectedError(Uri server, string tokenSource, MesaException answer)
    {
        const string fix =
            "Pass the server's admin token (a server from Start-MesaLocalServer carries it in its AdminToken property: Start-MesaLocalServer -Connect, or $server | Connect-Mesa), or leave the token out for work that needs no admin rights.";
        var message =
            $"The server at {server} refused the admin token {tokenSource} ({answer.Code ?? answer.ErrorClass}): it is not the token the server was configured with. Nothing was changed. {fix}";
        return Record(AdminTokenRejected, ErrorCategory.AuthenticationError, server, new InvalidOperationException(message, answer), fix);
    }

    public static ErrorRecord NoUriError() => Record(
        NoUri, ErrorCategory.InvalidArgument, null,
        new InvalidOperationException("No server given. Pass -Uri (such as http://127.0.0.1:8000) or set $env:MESA_URL to the server's address."));

    /// <summary>The URI had a user name or password; <paramref name="safe"/> is the URI without them, the only one shown.</summary>
    public static ErrorRecord UserInfoInUriError(string scheme, string host, Uri safe) => Record(
        UserInfoInUri, ErrorCategory.InvalidArgument, safe,
        new InvalidOperationException(
            $"The URI carries a user name or password ({scheme}://user:password@{host}/...); this module never sends them, and they would show in every message. " +
            "Remove them from the URI and pass credentials as a header instead: Connect-Mesa -Uri " + safe.AbsoluteUri + " -Header @{ Authorization = 'Bearer <token>' }."));

    public static ErrorRecord InvalidProfileError(string fromEnvironment) => Record(
        InvalidProfile, ErrorCategory.InvalidArgument, fromEnvironment,
        new InvalidOperationException($"$env:MESA_PROFILE is '{fromEnvironment}'; it must be v1 or v2. Set it to one of them, remove it (v2), or pass -Profile."));

    // Envelopes, deliberations, turns

    /// <summary>A deliberation, envelope or turn came down the pipeline where a payload was expected.</summary>
    public static ErrorRecord PayloadIsNotAPayloadError(object payload, object? target) => Record(
        PayloadIsNotAPayload, ErrorCategory.InvalidArgument, target,
        new ArgumentException(
            $"A {payload.GetType().Name} came down the pipeline as the payload. Piped objects are payloads unless -Payload is given: " +
            "give -Payload to pipe a deliberation in as -DeliberationId ($deal | New-MesaEnvelope -Type offer -EmittedBy $id -Payload $offer), " +
            "or pipe payloads with -DeliberationId $deal.Id."));

    public static ErrorRecord IdGivenForManyItemsError(string id) => Record(
        IdGivenForManyItems, ErrorCategory.InvalidArgument, id,
        new InvalidOperationException(
            $"-Id '{id}' names one envelope, and more than one item came down the pipeline. Leave -Id out (each envelope gets its own evt_ id), or make one envelope per call."));

    public static ErrorRecord InvalidPublicKeyError(string publicKey) => Record(
        InvalidPublicKey, ErrorCategory.InvalidArgument, publicKey,
        new InvalidOperationException(
            $"-PublicKey must be an Ed25519 public key as 64 hex characters (a principal's PublicKey); the value given is {publicKey.Length} characters long or not a valid key."));

    public static ErrorRecord DeliberationsNotSupportedError(Uri server) => Record(
        DeliberationsNotSupported, ErrorCategory.NotImplemented, server,
        new InvalidOperationException(
            $"{server} speaks profile v1, which has no deliberations, so there are no commitments to list from them. A v1 commitment is returned once, by Submit-MesaCommitment; keep that output. If the server speaks v2, connect with Connect-Mesa -Profile v2."));

    public static ErrorRecord NothingToChangeError() => Record(
        NothingToChange, ErrorCategory.InvalidArgument, null,
        new InvalidOperationException("Nothing to change: give -Stage (offer, scope, amendment, signoff) and/or -Status (open, closed)."));

    /// <summary>
    /// An unsigned envelope a cmdlet would not <paramref name="notDone"/> ("sent", "written"); <paramref name="otherFix"/>
    /// is the cmdlet's own way out besides signing with New-MesaEnvelope. The target is the envelope.
    /// </summary>
    public static ErrorRecord EnvelopeNotSignedError(MesaEnvelope envelope, string notDone, string? otherFix) => Record(
        EnvelopeNotSigned, ErrorCategory.InvalidArgument, envelope,
        new InvalidOperationException(
            $"Envelope {envelope.Id} ({envelope.Type} by {envelope.EmittedBy}) is not signed, so it was not {notDone}. Sign it with New-MesaEnvelope -Keypair $keypair{(otherFix is null ? "" : ", or " + otherFix)}."));

    /// <summary>
    /// A copy of an envelope already given in this journaled run: not sent again (mesa would store it twice). The target
    /// is the envelope; <paramref name="journalPath"/> holds the first copy's outcome.
    /// </summary>
    public static ErrorRecord DuplicateEnvelopeError(MesaEnvelope envelope, string journalPath) => Record(
        DuplicateEnvelope, ErrorCategory.InvalidOperation, envelope,
        new InvalidOperationException(
            $"Envelope {envelope.Id} was given more than once in this run; only its first copy was sent (mesa would store a second one again). " +
            $"The journal {journalPath} records the first copy's outcome. Give each envelope once; to commit the same payload again, make a new envelope (New-MesaEnvelope gives it its own id)."));

    /// <summary>A turn with no deliberation to go to; <paramref name="envelope"/> is the signed turn when there is one.</summary>
    public static ErrorRecord NoDeliberationIdError(MesaEnvelope? envelope) => Record(
        NoDeliberationId, ErrorCategory.InvalidArgument, envelope,
        new ArgumentException(
            $"{(envelope is null ? "The turn" : $"Envelope {envelope.Id}")} names no deliberation. Pass -DeliberationId, pipe a deliberation (its Id binds), or build the envelope with New-MesaEnvelope -DeliberationId."));

    // Local servers

    public static ErrorRecord ConflictingAdminTokenError() => Record(
        ConflictingAdminToken, ErrorCategory.InvalidArgument, null,
        new InvalidOperationException("-AdminToken and -NoAdminToken contradict each other; pass one of them."));

    public static ErrorRecord PolicyFileNotFoundError(string path, string given) => Record(
        PolicyFileNotFound, ErrorCategory.ObjectNotFound, given,
        new InvalidOperationException($"The policies file '{path}' does not exist. Pass the path of a JSON file of policies to -PolicyPath."));

    public static ErrorRecord LocalServerNotFoundError(object server) => Record(
        LocalServerNotFound, ErrorCategory.ObjectNotFound, server,
        new ArgumentException($"'{server}' is not a local server this session started. Get-MesaLocalServer lists the ones that are."));

    // Key files

    /// <summary>The path cannot be a file system path; the message is <see cref="FileSystemPaths"/>' reason.</summary>
    public static ErrorRecord InvalidKeyFilePathError(ArgumentException reason, string given) =>
        Record(InvalidKeyFilePath, ErrorCategory.InvalidArgument, given, reason);

    public static ErrorRecord KeyFilePathIsDirectoryError(string path, string given) => Record(
        KeyFilePathIsDirectory, ErrorCategory.InvalidArgument, given,
        new IOException($"'{path}' is a directory, not a key file; give the path of a key file inside it, such as '{Path.Combine(path, "mesa.key")}'."));

    public static ErrorRecord KeyFileFolderNotFoundError(string folder, string given) => Record(
        KeyFileFolderNotFound, ErrorCategory.ObjectNotFound, given,
        new DirectoryNotFoundException($"The folder '{folder}' does not exist; create it first (New-Item -ItemType Directory '{folder}') or choose another path."));

    /// <summary>A key file is in the way and -Force was not given; <paramref name="inner"/> is the failed write, if it got that far.</summary>
    public static ErrorRecord KeyFileExistsError(string path, string given, Exception? inner = null) => Record(
        KeyFileExists, ErrorCategory.ResourceExists, given,
        new IOException($"The file '{path}' already exists. Use -Force to overwrite it, or choose another path.", inner));

    /// <summary>No key file there; the message is <see cref="KeyFile.Read"/>'s.</summary>
    public static ErrorRecord KeyFileNotFoundError(FileNotFoundException missing, string given) =>
        Record(KeyFileNotFound, ErrorCategory.ObjectNotFound, given, missing);

    /// <summary>The file is no key file; the message is <see cref="KeyFile.Read"/>'s reason.</summary>
    public static ErrorRecord InvalidKeyFileError(InvalidDataException reason, string given) =>
        Record(InvalidKeyFile, ErrorCategory.InvalidData, given, reason);

    // Envelope files

    /// <summary>The path cannot be a file system path; the message is <see cref="FileSystemPaths"/>' reason.</summary>
    public static ErrorRecord InvalidEnvelopeFilePathError(ArgumentException reason, string given) =>
        Record(InvalidEnvelopeFilePath, ErrorCategory.InvalidArgument, given, reason);

    public static ErrorRecord EnvelopeFilePathIsDirectoryError(string path, string given) => Record(
        EnvelopeFilePathIsDirectory, ErrorCategory.InvalidArgument, given,
        new IOException($"'{path}' is a directory, not an envelope file; give the path of a JSON Lines file of envelopes inside it, such as '{Path.Combine(path, "envelopes.jsonl")}'."));

    public static ErrorRecord EnvelopeFileFolderNotFoundError(string folder, string given) => Record(
        EnvelopeFileFolderNotFound, ErrorCategory.ObjectNotFound, given,
        new InvalidOperationException($"The folder '{folder}' does not exist; create it first (New-Item -ItemType Directory '{folder}') or choose another path."));

    public static ErrorRecord EnvelopeFileExistsError(string path, string given) => Record(
        EnvelopeFileExists, ErrorCategory.ResourceExists, given,
        new InvalidOperationException($"The file '{path}' already exists. Use -Append to add to it, -Force to replace it, or choose another path."));

    public static ErrorRecord EnvelopeFileNotFoundError(string path, string given) => Record(
        EnvelopeFileNotFound, ErrorCategory.ObjectNotFound, given,
        new FileNotFoundException($"The envelope file '{path}' does not exist. Check the path; Export-MesaEnvelope writes such files.", path));

    /// <summary>Line <paramref name="line"/> of an envelope file is no signed envelope, for <paramref name="problem"/>.</summary>
    public static ErrorRecord InvalidEnvelopeLineError(string path, long line, string problem, Exception? inner) => Record(
        InvalidEnvelopeLine, ErrorCategory.InvalidData, $"{path}:{line}",
        new InvalidDataException($"Line {line} of '{path}' is not a signed envelope: {problem}", inner));

    // Submission journals

    /// <summary>
    /// The journal path cannot be a file system path. The message has the shape of SubmissionJournal's own
    /// <c>JournalUnavailable</c> (a journal that cannot be opened), so the id reads the same from both.
    /// </summary>
    public static ErrorRecord JournalUnavailableError(ArgumentException reason, string given) => Record(
        JournalUnavailable, ErrorCategory.InvalidArgument, given,
        new ArgumentException($"Cannot open the journal {given}: {reason.Message}", reason));

    /// <summary>The outcome of <paramref name="envelope"/> could not be journaled; the run stops.</summary>
    public static ErrorRecord JournalWriteFailedError(MesaEnvelope envelope, string? journalPath, Exception failure) => Record(
        JournalWriteFailed, ErrorCategory.WriteError, envelope,
        new IOException(
            $"The outcome of envelope {envelope.Id} could not be written to the journal {journalPath}: {failure.Message} The run stops so that the journal keeps a complete account.",
            failure));

    private static ErrorRecord Record(string id, ErrorCategory category, object? target, Exception exception, string? recommendedAction = null)
    {
        var record = new ErrorRecord(exception, id, category, target);
        if (recommendedAction is not null) record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = recommendedAction };
        return record;
    }
}
