using System.Globalization;
using System.Text.Json;
using Mesa.LocalServer.Http;
using Mesa.LocalServer.Python;

namespace Mesa.LocalServer.Validation;

/// <summary>
/// Validates a JSON request body like a pydantic v2 model under FastAPI: fields in declaration order, each reported
/// at <c>["body", field]</c> with pydantic's error types and wording. Call the field readers in the model's field order,
/// then <see cref="ThrowIfInvalid"/>.
/// </summary>
internal sealed class ModelReader
{
    private readonly List<ValidationProblem> _problems = new();

    private ModelReader(JsonElement body) => Body = body;

    /// <summary>The body object.</summary>
    public JsonElement Body { get; }

    /// <summary>True while no problem was found.</summary>
    public bool IsValid => _problems.Count == 0;

    /// <summary>Starts validating <paramref name="body"/> as the model <paramref name="className"/>.</summary>
    /// <exception cref="ApiError">The body is missing or not a JSON object.</exception>
    public static ModelReader Open(RequestBody body, string className)
    {
        switch (body.Kind)
        {
            case RequestBodyKind.Empty:
                throw ApiError.Validation(new ValidationProblem("missing", new object[] { "body" }, "Field required", null));
            case RequestBodyKind.Raw:
                throw ApiError.Validation(ModelType(className, body.RawText));
        }

        // FastAPI takes a JSON null body as no body at all.
        if (body.Root.ValueKind == JsonValueKind.Null)
        {
            throw ApiError.Validation(new ValidationProblem("missing", new object[] { "body" }, "Field required", null));
        }

        if (body.Root.ValueKind != JsonValueKind.Object)
        {
            throw ApiError.Validation(ModelType(className, body.Root));
        }

        ThrowOnUnencodableKeys(body.Root);
        return new ModelReader(body.Root);
    }

    /// <summary>Starts validating a JSON object that is not a request body (a policies file entry); locations still start with <c>body</c>.</summary>
    public static ModelReader ForObject(JsonElement value) => new(value);

    /// <summary>A required string field (<c>name: str = Field(min_length, max_length)</c>).</summary>
    public string? RequiredString(string name, int minLength = 0, int maxLength = int.MaxValue)
    {
        if (!Body.TryGetProperty(name, out var value))
        {
            Missing(name);
            return null;
        }

        return ReadString(name, value, minLength, maxLength);
    }

    /// <summary>An optional, nullable string (<c>name: str | None = None</c>); null when absent or JSON null.</summary>
    public string? NullableString(string name, int minLength = 0, int maxLength = int.MaxValue)
    {
        if (!Body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return ReadString(name, value, minLength, maxLength);
    }

    /// <summary>A string with a default (<c>name: str = "x"</c>): JSON null is an error.</summary>
    public string? DefaultedString(string name, string defaultValue, int maxLength = int.MaxValue) =>
        Body.TryGetProperty(name, out var value) ? ReadString(name, value, 0, maxLength) : defaultValue;

    /// <summary>A required JSON object (<c>name: dict[str, Any]</c>).</summary>
    public JsonElement? RequiredObject(string name)
    {
        if (!Body.TryGetProperty(name, out var value))
        {
            Missing(name);
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            Add("dict_type", name, "Input should be a valid dictionary", value);
            return null;
        }

        return value;
    }

    /// <summary>An object with a default of <c>{}</c>.</summary>
    public JsonElement? DefaultedObject(string name)
    {
        if (!Body.TryGetProperty(name, out var value)) return default(JsonElement);
        if (value.ValueKind != JsonValueKind.Object)
        {
            Add("dict_type", name, "Input should be a valid dictionary", value);
            return null;
        }

        return value;
    }

    /// <summary>A list of strings with a default of <c>[]</c> (<c>name: list[str] = Field(default_factory=list)</c>).</summary>
    public List<string>? DefaultedStringList(string name)
    {
        if (!Body.TryGetProperty(name, out var value)) return new List<string>();
        if (value.ValueKind != JsonValueKind.Array)
        {
            Add("list_type", name, "Input should be a valid list", value);
            return null;
        }

        var items = new List<string>();
        var ok = true;
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                _problems.Add(new ValidationProblem("string_type", new object[] { "body", name, index }, "Input should be a valid string", item));
                ok = false;
            }
            else
            {
                var text = JsonStrings.Read(item, out var lone);
                if (lone)
                {
                    _problems.Add(StringUnicode(new object[] { "body", name, index }, item));
                    ok = false;
                }

                items.Add(text);
            }

            index++;
        }

        return ok ? items : null;
    }

    /// <summary>One of fixed strings (<c>Literal[...]</c>), with a default when absent; <paramref name="nullable"/> lets JSON null mean the default.</summary>
    public string? Literal(string name, IReadOnlyList<string> allowed, string? defaultValue, bool required = false, bool nullable = false)
    {
        if (!Body.TryGetProperty(name, out var value))
        {
            if (required) Missing(name);
            return defaultValue;
        }

        if (nullable && value.ValueKind == JsonValueKind.Null) return defaultValue;
        if (value.ValueKind == JsonValueKind.String)
        {
            var text = JsonStrings.Read(value, out _);
            if (allowed.Contains(text, StringComparer.Ordinal)) return text;
        }

        var expected = Expected(allowed);
        Add("literal_error", name, $"Input should be {expected}", value, new KeyValuePair<string, object?>("expected", expected));
        return null;
    }

    /// <summary>A boolean with a default (strict: JSON true or false).</summary>
    public bool? DefaultedBool(string name, bool defaultValue)
    {
        if (!Body.TryGetProperty(name, out var value)) return defaultValue;
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) return value.GetBoolean();
        Add("bool_type", name, "Input should be a valid boolean", value);
        return null;
    }

    /// <summary>An integer with a default and a lower bound (<c>name: int = Field(default, ge=min)</c>).</summary>
    public long? DefaultedInteger(string name, long defaultValue, long minimum)
    {
        if (!Body.TryGetProperty(name, out var value)) return defaultValue;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            Add("int_type", name, "Input should be a valid integer", value);
            return null;
        }

        if (number < minimum)
        {
            Add("greater_than_equal", name, $"Input should be greater than or equal to {minimum.ToString(CultureInfo.InvariantCulture)}",
                value, new KeyValuePair<string, object?>("ge", minimum));
            return null;
        }

        return number;
    }

    /// <summary>A failed field validator: pydantic's <c>value_error</c>, <c>"Value error, ..."</c>.</summary>
    public void ValueError(string name, string message, object? input) =>
        Add("value_error", name, "Value error, " + message, input, new KeyValuePair<string, object?>("error", EmptyJsonObject.Instance));

    /// <summary>Reports every member not in <paramref name="fields"/> (<c>extra="forbid"</c>).</summary>
    public void ForbidExtra(IReadOnlyCollection<string> fields)
    {
        foreach (var property in Body.EnumerateObject())
        {
            if (!fields.Contains(property.Name))
            {
                Add("extra_forbidden", property.Name, "Extra inputs are not permitted", property.Value);
            }
        }
    }

    /// <summary>The problems so far.</summary>
    public IReadOnlyList<ValidationProblem> Problems => _problems;

    /// <exception cref="ApiError">422 with every problem found.</exception>
    public void ThrowIfInvalid()
    {
        if (_problems.Count > 0) throw ApiError.Validation(_problems);
    }

    /// <summary>pydantic's <c>'a', 'b' or 'c'</c>.</summary>
    public static string Expected(IReadOnlyList<string> allowed)
    {
        var quoted = allowed.Select(PythonText.Repr).ToList();
        return quoted.Count == 1 ? quoted[0] : string.Join(", ", quoted.Take(quoted.Count - 1)) + " or " + quoted[^1];
    }

    private string? ReadString(string name, JsonElement value, int minLength, int maxLength)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            Add("string_type", name, "Input should be a valid string", value);
            return null;
        }

        var text = JsonStrings.Read(value, out var lone);
        if (lone)
        {
            _problems.Add(StringUnicode(new object[] { "body", name }, value));
            return null;
        }

        var length = PythonText.Length(text);
        if (length < minLength)
        {
            Add("string_too_short", name, $"String should have at least {Characters(minLength)}", value,
                new KeyValuePair<string, object?>("min_length", minLength));
            return null;
        }

        if (length > maxLength)
        {
            Add("string_too_long", name, $"String should have at most {Characters(maxLength)}", value,
                new KeyValuePair<string, object?>("max_length", maxLength));
            return null;
        }

        return text;
    }

    private static string Characters(int n) => n.ToString(CultureInfo.InvariantCulture) + (n == 1 ? " character" : " characters");

    private void Missing(string name) => _problems.Add(new ValidationProblem("missing", new object[] { "body", name }, "Field required", Body));

    private void Add(string type, string name, string msg, object? input, params KeyValuePair<string, object?>[] ctx) =>
        _problems.Add(new ValidationProblem(type, new object[] { "body", name }, msg, input, ctx.Length == 0 ? null : ctx));

    private static ValidationProblem StringUnicode(object[] loc, object input) =>
        new("string_unicode", loc, "Input should be a valid string, unable to parse raw data as a unicode string", input);

    // The upstream models read attributes too (from_attributes), so anything but a dict is pydantic's
    // model_attributes_type, whatever the model.
    private static ValidationProblem ModelType(string className, object? input) =>
        new("model_attributes_type", new object[] { "body" }, "Input should be a valid dictionary or object to extract fields from", input);

    // A top-level key with an escaped lone surrogate cannot be a Python str pydantic can read (nor can a field be
    // looked up past it reliably): a string_unicode problem at the key, echoed as it was escaped.
    private static void ThrowOnUnencodableKeys(JsonElement body)
    {
        var bad = false;
        foreach (var property in body.EnumerateObject())
        {
            try
            {
                _ = property.Name;
            }
            catch (InvalidOperationException)
            {
                bad = true;
                break;
            }
        }

        if (!bad) return;
        var problems = new List<ValidationProblem>();
        var reader = new Utf8JsonReader(
            System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(body), new JsonReaderOptions { MaxDepth = PythonJsonScanner.MaxDepth });
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1) continue;
            try
            {
                _ = reader.GetString();
            }
            catch (InvalidOperationException)
            {
                var key = new RawJsonString("\"" + System.Text.Encoding.UTF8.GetString(reader.ValueSpan) + "\"");
                problems.Add(StringUnicode(new object[] { "body", key }, key));
            }
        }

        throw ApiError.Validation(problems);
    }
}
