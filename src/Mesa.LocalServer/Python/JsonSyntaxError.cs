namespace Mesa.LocalServer.Python;

/// <summary>A JSON syntax error as Python's <c>json</c> module reports it: its message and the code point position.</summary>
internal sealed record JsonSyntaxError(string Message, int Position);
