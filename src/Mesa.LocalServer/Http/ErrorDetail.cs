using System.Text.Json;

namespace Mesa.LocalServer.Http;

/// <summary>The <c>detail</c> member of an error body (contract section 5).</summary>
internal abstract class ErrorDetail
{
    /// <summary>Writes the detail value.</summary>
    public abstract void WriteTo(Utf8JsonWriter writer);

    /// <summary>A short text for logs and exception messages.</summary>
    public abstract string Describe();
}
