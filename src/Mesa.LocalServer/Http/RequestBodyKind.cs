namespace Mesa.LocalServer.Http;

/// <summary>What a request body turned out to be, as FastAPI sees it.</summary>
internal enum RequestBodyKind
{
    /// <summary>No bytes: a required body is "missing".</summary>
    Empty,

    /// <summary>Parsed JSON.</summary>
    Json,

    /// <summary>A body sent with a non-JSON content type: FastAPI hands the raw text to validation.</summary>
    Raw,
}
