namespace Mesa.LocalServer.Python;

/// <summary>Carries a <see cref="JsonSyntaxError"/> out of the <see cref="PythonJsonScanner"/>'s recursion.</summary>
internal sealed class JsonSyntaxException(JsonSyntaxError error) : Exception(error.Message)
{
    public JsonSyntaxError Error { get; } = error;
}
