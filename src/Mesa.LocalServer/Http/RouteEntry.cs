using System.Text.RegularExpressions;

namespace Mesa.LocalServer.Http;

/// <summary>One path of the served surface and the methods it answers.</summary>
internal sealed record RouteEntry(string Template, Regex Pattern, IReadOnlyList<string> Methods);
