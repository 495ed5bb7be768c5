namespace Mesa.LocalServer.Validation;

/// <summary>Stands for the JSON value <c>{}</c> in a validation problem (FastAPI writes <c>"input": {}</c> and <c>"ctx": {"error": {}}</c>).</summary>
internal sealed class EmptyJsonObject
{
    public static readonly EmptyJsonObject Instance = new();

    private EmptyJsonObject()
    {
    }
}
