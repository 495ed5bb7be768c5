namespace Mesa.Client;

/// <summary>
/// Checks a deserialised success body for the fields its model requires (protocol section 4), so that a 2xx answer
/// that is not a mesa answer (another service answering <c>{"status":"ok"}</c> to everything) is an error, not an
/// object with empty ids.
/// </summary>
internal static class MesaResponseCheck
{
    /// <summary>The required fields missing from <paramref name="value"/> (wire names, "item 2: id" inside lists); empty when fine.</summary>
    public static IReadOnlyList<string> Missing(object? value)
    {
        var missing = new List<string>();
        Collect(value, null, missing);
        return missing;
    }

    /// <summary>What the model is called in a message: "principal", "commitment result", "list of principals".</summary>
    public static string Describe(Type type) =>
        type == typeof(MesaPrincipal) ? "principal"
        : type == typeof(MesaCommitment) ? "commitment result"
        : type == typeof(MesaDeliberationDetail) ? "deliberation with its turns and commitments"
        : type == typeof(MesaDeliberation) ? "deliberation"
        : type == typeof(MesaTurn) ? "turn"
        : type == typeof(MesaHealth) ? "health answer"
        : type.IsGenericType && type.GetGenericArguments() is [var item] ? $"list of {Describe(item)}s"
        : "answer";

    private static void Collect(object? value, string? prefix, List<string> missing)
    {
        switch (value)
        {
            case MesaHealth health:
                Require(health.Status, "status", prefix, missing);
                break;
            case MesaPrincipal principal:
                Require(principal.Id, "id", prefix, missing);
                Require(principal.Org, "org", prefix, missing);
                Require(principal.PublicKey, "public_key", prefix, missing);
                if (principal.Capabilities is null) missing.Add(prefix + "capabilities");
                else
                {
                    for (var i = 0; i < principal.Capabilities.Count; i++)
                    {
                        Require(principal.Capabilities[i], $"capabilities item {i}", prefix, missing);
                    }
                }

                break;
            case MesaCommitment commitment:
                Require(commitment.Id, "id", prefix, missing);
                Require(commitment.Type, "type", prefix, missing);
                Require(commitment.PrincipalId, "principal_id", prefix, missing);
                Require(commitment.Status, "status", prefix, missing);
                if (commitment.Decision is null) missing.Add(prefix + "decision");
                else
                {
                    Require(commitment.Decision.Action, "decision.action", prefix, missing);
                    if (commitment.Decision.Applied is null) missing.Add(prefix + "decision.applied");
                    else
                    {
                        // Each policy that fired: a decision naming policies without ids or actions is not a mesa decision.
                        for (var i = 0; i < commitment.Decision.Applied.Count; i++)
                        {
                            var applied = commitment.Decision.Applied[i];
                            var at = $"{prefix}decision.applied item {i}: ";
                            if (applied is null) { missing.Add(at + "everything"); continue; }
                            Require(applied.PolicyId, "policy_id", at, missing);
                            Require(applied.PolicyName, "policy_name", at, missing);
                            Require(applied.Action, "action", at, missing);
                        }
                    }
                }

                break;
            case MesaDeliberation deliberation:
                Require(deliberation.Id, "id", prefix, missing);
                Require(deliberation.Title, "title", prefix, missing);
                Require(deliberation.Stage, "stage", prefix, missing);
                Require(deliberation.Status, "status", prefix, missing);
                if (deliberation is MesaDeliberationDetail detail)
                {
                    if (detail.Turns is null) missing.Add(prefix + "turns");
                    else Items(detail.Turns, prefix + "turns ", missing);
                    if (detail.Commitments is null) missing.Add(prefix + "commitments");
                    else
                    {
                        for (var i = 0; i < detail.Commitments.Count; i++)
                        {
                            var summary = detail.Commitments[i];
                            var at = $"{prefix}commitments item {i}: ";
                            if (summary is null) { missing.Add(at + "everything"); continue; }
                            Require(summary.Id, "id", at, missing);
                            Require(summary.Type, "type", at, missing);
                            Require(summary.PrincipalId, "principal_id", at, missing);
                            Require(summary.Status, "status", at, missing);
                        }
                    }
                }

                break;
            case MesaTurn turn:
                Require(turn.Id, "id", prefix, missing);
                Require(turn.DeliberationId, "deliberation_id", prefix, missing);
                Require(turn.SpeakerId, "speaker_id", prefix, missing);
                if (turn.Content is null) missing.Add(prefix + "content"); // "" is a turn's text; null is no text at all
                break;
            case System.Collections.IEnumerable list when value is not string:
                Items(list, prefix, missing);
                break;
        }
    }

    private static void Items(System.Collections.IEnumerable list, string? prefix, List<string> missing)
    {
        var i = 0;
        foreach (var item in list)
        {
            if (missing.Count >= 20) return; // enough to tell what is wrong
            if (item is null) missing.Add($"{prefix}item {i}: everything");
            else Collect(item, $"{prefix}item {i}: ", missing);
            i++;
        }
    }

    private static void Require(string? text, string name, string? prefix, List<string> missing)
    {
        if (string.IsNullOrEmpty(text)) missing.Add(prefix + name);
    }
}
