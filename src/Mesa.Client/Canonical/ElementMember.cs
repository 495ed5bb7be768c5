using System.Text.Json;

namespace Mesa.Client;

/// <summary>
/// A member of a parsed JSON object while it is being sorted: its decoded name, and its position in the text, so that
/// the last of duplicate names wins.
/// </summary>
internal readonly record struct ElementMember(JsonProperty Property, int Position, string Name);
