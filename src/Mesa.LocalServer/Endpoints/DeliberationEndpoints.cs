using Mesa.Client;
using Mesa.LocalServer.Envelopes;
using Mesa.LocalServer.Http;
using Mesa.LocalServer.Python;
using Mesa.LocalServer.Schemas;
using Mesa.LocalServer.Storage;
using Mesa.LocalServer.Validation;

namespace Mesa.LocalServer.Endpoints;

/// <summary><c>/deliberations</c> (protocol v2): open, list, read with transcript, update, and append turns.</summary>
internal sealed class DeliberationEndpoints(MesaStore store, CommitmentTypeCatalog catalog, EnvelopeVerifier verifier)
{
    private static readonly string[] Stages = { "offer", "scope", "amendment", "signoff" };
    private static readonly string[] Statuses = { "open", "closed" };

    /// <summary><c>POST /deliberations</c> <c>{title, counterparty_slug?, stage?}</c>.</summary>
    public async Task CreateAsync(HttpContext context)
    {
        using var body = await RequestBodyReader.ReadAsync(context);
        var reader = ModelReader.Open(body, "DeliberationCreate");
        var title = reader.RequiredString("title", minLength: 1, maxLength: 255);
        if (title is not null)
        {
            var stripped = PythonText.Strip(title);
            if (stripped.Length == 0) reader.ValueError("title", "title must not be blank", title);
            title = stripped;
        }

        var slug = reader.NullableString("counterparty_slug", maxLength: 255);
        var stage = reader.DefaultedString("stage", "offer");
        CheckStage(reader, stage);
        reader.ThrowIfInvalid();
        var deliberation = store.CreateDeliberation(title!, slug, stage!);
        await JsonResponse.WriteAsync(context, 201, deliberation, ResourceJson.Deliberation);
    }

    /// <summary><c>GET /deliberations[?status=open|closed]</c>, oldest first.</summary>
    public Task ListAsync(HttpContext context)
    {
        var values = context.Request.Query["status"];
        string? status = values.Count > 0 ? values[^1] : null;
        if (status is not null && !Statuses.Contains(status, StringComparer.Ordinal))
        {
            throw ApiError.Coded(422, MesaErrorCodes.InvalidStatus, $"status must be one of {PythonText.ReprTuple(Statuses)}");
        }

        return JsonResponse.WriteAsync(context, 200, store.ListDeliberations(status), static (w, list) => ResourceJson.List(w, list, ResourceJson.Deliberation));
    }

    /// <summary><c>GET /deliberations/{id}</c>: with turns by index and commitments oldest first.</summary>
    public Task GetAsync(HttpContext context)
    {
        var detail = store.GetDeliberation(RouteId(context)) ?? throw DeliberationNotFound();
        return JsonResponse.WriteAsync(context, 200, detail, ResourceJson.DeliberationDetail);
    }

    /// <summary><c>PATCH /deliberations/{id}</c> <c>{status?, stage?}</c>.</summary>
    public async Task UpdateAsync(HttpContext context)
    {
        using var body = await RequestBodyReader.ReadAsync(context);
        var reader = ModelReader.Open(body, "DeliberationPatch");
        var status = reader.Literal("status", Statuses, null, nullable: true);
        var stage = reader.NullableString("stage");
        CheckStage(reader, stage);
        reader.ThrowIfInvalid();
        var deliberation = store.UpdateDeliberation(RouteId(context), status, stage) ?? throw DeliberationNotFound();
        await JsonResponse.WriteAsync(context, 200, deliberation, ResourceJson.Deliberation);
    }

    /// <summary>
    /// <c>POST /deliberations/{id}/turns</c>: envelope gates 1–4 (no capability needed), then type <c>turn</c>, the turn
    /// schema, the deliberation (exists, same id as the envelope's when set, open); the turn gets the next index.
    /// </summary>
    public async Task AddTurnAsync(HttpContext context)
    {
        using var body = await RequestBodyReader.ReadAsync(context);
        var envelope = EnvelopeReader.Read(body, EnvelopeKind.Turn, MesaProfile.V2);
        var principal = verifier.Verify(envelope);
        if (envelope.Type != "turn")
        {
            throw ApiError.Coded(422, MesaErrorCodes.WrongEnvelopeType, "envelope type must be 'turn'");
        }

        var problem = catalog.Validate("turn", envelope.Payload);
        if (problem is not null)
        {
            throw ApiError.Coded(422, MesaErrorCodes.SchemaInvalid, problem);
        }

        var pathId = RouteId(context);
        var content = JsonStrings.Read(envelope.Payload.GetProperty("content"), out _);
        var outcome = await store.AppendTurnAsync(new TurnDraft(
            pathId, envelope.DeliberationId, principal.Id, content, envelope.Signature, envelope.Id, envelope.Timestamp, envelope.ParentId));
        switch (outcome.Kind)
        {
            case TurnOutcomeKind.NotFound:
                throw DeliberationNotFound();
            case TurnOutcomeKind.Mismatch:
                throw ApiError.Coded(
                    422, MesaErrorCodes.DeliberationMismatch,
                    $"envelope deliberation_id {PythonText.Repr(envelope.DeliberationId!)} does not match the path deliberation {PythonText.Repr(pathId)}");
            case TurnOutcomeKind.Closed:
                throw ApiError.Coded(403, MesaErrorCodes.DeliberationClosed, $"deliberation status is {PythonText.Repr(outcome.DeliberationStatus!)}");
        }

        await JsonResponse.WriteAsync(context, 201, outcome.Turn!, ResourceJson.Turn);
    }

    private static void CheckStage(ModelReader reader, string? stage)
    {
        if (stage is not null && !Stages.Contains(stage, StringComparer.Ordinal))
        {
            reader.ValueError("stage", $"stage must be one of {PythonText.ReprTuple(Stages)}", stage);
        }
    }

    private static string RouteId(HttpContext context) => (string)context.Request.RouteValues["id"]!;

    private static ApiError DeliberationNotFound() => ApiError.Coded(404, MesaErrorCodes.NotFound, "deliberation not found");
}
