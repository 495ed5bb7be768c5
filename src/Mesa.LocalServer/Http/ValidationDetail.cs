using System.Text.Json;
using Mesa.LocalServer.Validation;

namespace Mesa.LocalServer.Http;

/// <summary>A FastAPI-style list of request validation problems.</summary>
internal sealed class ValidationDetail(IReadOnlyList<ValidationProblem> problems) : ErrorDetail
{
    public IReadOnlyList<ValidationProblem> Problems { get; } = problems;

    public override void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartArray();
        foreach (var problem in Problems)
        {
            problem.WriteTo(writer);
        }

        writer.WriteEndArray();
    }

    public override string Describe() => string.Join("; ", Problems.Select(p => p.Describe()));
}
