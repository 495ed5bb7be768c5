namespace Mesa.LocalServer.Storage;

/// <summary>An insert hit a unique key (a public key or policy id already there).</summary>
internal sealed class DuplicateKeyException(string message) : Exception(message);
