using Mesa.Client;
using Mesa.LocalServer.Envelopes;
using Mesa.LocalServer.Hosting;
using Mesa.LocalServer.Http;
using Mesa.LocalServer.Python;
using Mesa.LocalServer.Schemas;
using Mesa.LocalServer.Storage;

namespace Mesa.LocalServer.Endpoints;

/// <summary><c>POST /commitments</c>: the gates of contract section 7, in order; the first failure answers.</summary>
internal sealed class CommitmentEndpoints(MesaStore store, CommitmentTypeCatalog catalog, EnvelopeVerifier verifier, ServerOptions options)
{
    public async Task SubmitAsync(HttpContext context)
    {
        using var body = await RequestBodyReader.ReadAsync(context);
        var envelope = EnvelopeReader.Read(body, EnvelopeKind.Commitment, options.Protocol);   // 1. request validation
        var principal = verifier.Verify(envelope);                                                // 2-4. principal, canonical bytes, signature

        // 5. authority (before the schema): a type this generation does not know cannot be granted (a v1 file may still
        // list "turn" from before the catalog followed the generation).
        if (!principal.Capabilities.Contains(envelope.Type, StringComparer.Ordinal) || !catalog.Contains(envelope.Type))
        {
            throw ApiError.Coded(
                403, MesaErrorCodes.AuthorityDenied,
                $"principal {principal.Id} is not authorized to emit commitments of type '{envelope.Type}'",
                new KeyValuePair<string, string?>("type", envelope.Type));
        }

        var problem = catalog.Validate(envelope.Type, envelope.Payload);                          // 6. schema
        if (problem is not null)
        {
            throw ApiError.Coded(422, MesaErrorCodes.SchemaInvalid, problem);
        }

        var draft = new CommitmentDraft(
            envelope.Type, principal.Id, envelope.DeliberationId, envelope.Payload,
            PythonJsonText.Write(envelope.Payload),
            envelope.Signature, envelope.Id, envelope.Timestamp, envelope.ParentId);
        var outcome = await store.SubmitCommitmentAsync(draft, requireDeliberation: options.Protocol == MesaProfile.V2);  // 7-8. deliberation, policy
        switch (outcome.Kind)
        {
            case CommitmentOutcomeKind.UnknownDeliberation:
                throw ApiError.Coded(422, MesaErrorCodes.UnknownDeliberation, $"deliberation {PythonText.Repr(envelope.DeliberationId!)} not found");
            case CommitmentOutcomeKind.DeliberationClosed:
                throw ApiError.Coded(403, MesaErrorCodes.DeliberationClosed, $"deliberation status is {PythonText.Repr(outcome.DeliberationStatus!)}");
            case CommitmentOutcomeKind.Blocked:
                var block = outcome.Decision!.FirstBlock!;
                throw ApiError.Coded(
                    403, MesaErrorCodes.PolicyBlocked, $"blocked by policy '{block.PolicyName}'",
                    new KeyValuePair<string, string?>("policy_id", block.PolicyId),
                    new KeyValuePair<string, string?>("policy_name", block.PolicyName));
        }

        await JsonResponse.WriteAsync(context, 201, (outcome, draft), static (w, s) =>
            ResourceJson.CommitmentResult(w, s.outcome.CommitmentId!, s.draft.Type, s.draft.PrincipalId, s.outcome.Status!, s.outcome.Decision!));
    }
}
