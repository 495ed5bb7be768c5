using System.Text.Json;
using Json.Schema;

namespace Mesa.LocalServer.Schemas;

/// <summary>A loaded commitment type: its name (the file name), its pack, where it came from, and its compiled schema.</summary>
internal sealed record CommitmentType(string Name, string Pack, string Source, JsonSchema Schema, JsonElement Document);
