using System.Globalization;
using System.Text;
using System.Text.Json;
using Json.Pointer;
using Json.Schema;
using Mesa.LocalServer.Python;

namespace Mesa.LocalServer.Schemas;

/// <summary>
/// Names the first problem of a failed schema evaluation in one line, such as
/// <c>payload.fee_model.kind: 'yearly' is not one of ['flat', 'per_record', 'revenue_share']</c>.
/// </summary>
internal static class SchemaProblemFormatter
{
    public static string Describe(EvaluationResults results, JsonElement payload, JsonElement schemaDocument)
    {
        foreach (var node in Flatten(results))
        {
            if (node.Errors is null || node.Errors.Count == 0) continue;
            var (keyword, libraryMessage) = node.Errors.First();
            var location = node.InstanceLocation;
            var instance = location.Evaluate(payload);
            var schemaPointer = node.EvaluationPath;
            string? message = null;
            if (keyword.Length == 0 && schemaPointer.ToString().EndsWith("/additionalProperties", StringComparison.Ordinal) && location.SegmentCount > 0)
            {
                var property = location[location.SegmentCount - 1].ToString();
                return $"{Path(location.GetParent(1) ?? JsonPointer.Empty)}: Additional properties are not allowed ({PythonText.Repr(property)} was unexpected)";
            }

            if (instance is JsonElement value)
            {
                message = Explain(keyword, value, Keyword(schemaDocument, schemaPointer, keyword));
            }

            return $"{Path(location)}: {message ?? libraryMessage}";
        }

        return "payload: does not match the schema";
    }

    private static IEnumerable<EvaluationResults> Flatten(EvaluationResults results)
    {
        yield return results;
        if (results.Details is null) yield break;
        foreach (var detail in results.Details)
        {
            foreach (var inner in Flatten(detail))
            {
                yield return inner;
            }
        }
    }

    private static JsonElement? Keyword(JsonElement schemaDocument, JsonPointer schemaPointer, string keyword)
    {
        // The evaluation path is the schema pointer, except that JsonSchema.Net 8 repeats an "items" segment for array
        // items ("/properties/u/items/items"); a segment that does not resolve there is skipped.
        var current = schemaDocument;
        for (var i = 0; i < schemaPointer.SegmentCount; i++)
        {
            var segment = schemaPointer[i].ToString();
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(segment, out var next))
            {
                current = next;
            }
            else if (current.ValueKind == JsonValueKind.Array && int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < current.GetArrayLength())
            {
                current = current[index];
            }
            else if (segment != "items")
            {
                return null;
            }
        }

        return current.ValueKind == JsonValueKind.Object && current.TryGetProperty(keyword, out var value) ? value : null;
    }

    private static string? Explain(string keyword, JsonElement value, JsonElement? rule)
    {
        var repr = JsonRepr.Of(value);
        string R() => rule is JsonElement r ? JsonRepr.Of(r) : "?";
        switch (keyword)
        {
            case "required" when rule is { ValueKind: JsonValueKind.Array } required && value.ValueKind == JsonValueKind.Object:
                foreach (var name in required.EnumerateArray())
                {
                    if (name.ValueKind == JsonValueKind.String && !value.TryGetProperty(name.GetString()!, out _))
                    {
                        return $"{PythonText.Repr(name.GetString()!)} is a required property";
                    }
                }

                return null;
            case "type":
                var types = rule is { ValueKind: JsonValueKind.Array } list
                    ? string.Join(", ", list.EnumerateArray().Select(JsonRepr.Of))
                    : R();
                return $"{repr} is not of type {types}";
            case "enum": return $"{repr} is not one of {R()}";
            case "const": return $"{R()} was expected";
            case "minLength" or "minItems": return $"{repr} is too short";
            case "maxLength" or "maxItems": return $"{repr} is too long";
            case "minimum": return $"{repr} is less than the minimum of {R()}";
            case "maximum": return $"{repr} is greater than the maximum of {R()}";
            case "exclusiveMinimum": return $"{repr} is less than or equal to the minimum of {R()}";
            case "exclusiveMaximum": return $"{repr} is greater than or equal to the maximum of {R()}";
            case "uniqueItems": return $"{repr} has non-unique elements";
            case "minProperties": return $"{repr} does not have enough properties";
            case "maxProperties": return $"{repr} has too many properties";
            case "pattern": return $"{repr} does not match {R()}";
            default: return null;
        }
    }

    // payload.fee_model.kind, payload.allowed_uses[1]
    private static string Path(JsonPointer pointer)
    {
        var sb = new StringBuilder("payload");
        for (var i = 0; i < pointer.SegmentCount; i++)
        {
            var segment = pointer[i].ToString();
            if (int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                sb.Append('[').Append(segment).Append(']');
            }
            else
            {
                sb.Append('.').Append(segment);
            }
        }

        return sb.ToString();
    }
}
