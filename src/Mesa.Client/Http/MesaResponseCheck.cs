namespace Mesa.Client;

/// <summary>
/// Checks a deserialised success body for the fields its model requires (protocol section 4), so that a 2xx answer
/// that is not a mesa answer (another service answering <c>{"status":"ok"}</c> to everything) is an error, not an
/// object with empty ids.
/// </summary>
internal static class MesaResponseCheck
{
    // Enough to tell what is wrong, and the message stays small whatever the peer sent (5,000 null capabilities).
    private const int MaxNames = 20;

    /// <summary>The required fields missing from <paramref name="value"/> (wire names, "item 2: id" inside lists), at most 20; empty when fine.</summary>
    public static IReadOnlyList<string> Missing(object? value)
    {
        // First only whether anything is missing, building no text: a complete answer (the usual case, on every
        // request) then costs no path string per list item. Names are made in a second pass for an incomplete one.
        var probe = new Findings(named: false);
        Collect(value, null, probe);
        if (!probe.Any) return [];
        var found = new Findings(named: true);
        Collect(value, null, found);
        return found.Names;
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

    private static void Collect(object? value, string? prefix, Findings found)
    {
        switch (value)
        {
            case MesaHealth health:
                found.Require(prefix, (health.Status, "status"));
                break;
            case MesaPrincipal principal:
                found.Require(prefix, (principal.Id, "id"), (principal.Org, "org"), (principal.PublicKey, "public_key"));
                if (principal.Capabilities is null) found.Add(prefix, "capabilities");
                else
                {
                    for (var i = 0; i < principal.Capabilities.Count && !found.Done; i++)
                    {
                        if (string.IsNullOrEmpty(principal.Capabilities[i])) found.Add(prefix, "capabilities item ", i);
                    }
                }

                break;
            case MesaCommitment commitment:
                found.Require(prefix, (commitment.Id, "id"), (commitment.Type, "type"), (commitment.PrincipalId, "principal_id"), (commitment.Status, "status"));
                if (commitment.Decision is null) found.Add(prefix, "decision");
                else
                {
                    found.Require(prefix, (commitment.Decision.Action, "decision.action"));
                    // Each policy that fired: a decision naming policies without ids or actions is not a mesa decision.
                    Items(commitment.Decision.Applied, prefix, "decision.applied ", found);
                }

                break;
            case MesaAppliedPolicy applied:
                found.Require(prefix, (applied.PolicyId, "policy_id"), (applied.PolicyName, "policy_name"), (applied.Action, "action"));
                break;
            case MesaCommitmentSummary summary:
                found.Require(prefix, (summary.Id, "id"), (summary.Type, "type"), (summary.PrincipalId, "principal_id"), (summary.Status, "status"));
                break;
            case MesaDeliberation deliberation:
                found.Require(prefix, (deliberation.Id, "id"), (deliberation.Title, "title"), (deliberation.Stage, "stage"), (deliberation.Status, "status"));
                if (deliberation is MesaDeliberationDetail detail)
                {
                    Items(detail.Turns, prefix, "turns ", found);
                    Items(detail.Commitments, prefix, "commitments ", found);
                }

                break;
            case MesaTurn turn:
                found.Require(prefix, (turn.Id, "id"), (turn.DeliberationId, "deliberation_id"), (turn.SpeakerId, "speaker_id"));
                if (turn.Content is null) found.Add(prefix, "content"); // "" is a turn's text; null is no text at all
                break;
            case System.Collections.IEnumerable list when value is not string:
                Items(list, prefix, "", found);
                break;
        }
    }

    // A list: missing as a whole ("turns"), or each item checked under its path ("turns item 3: ").
    private static void Items(System.Collections.IEnumerable? list, string? prefix, string name, Findings found)
    {
        if (list is null)
        {
            found.Add(prefix, name.TrimEnd());
            return;
        }

        var i = 0;
        foreach (var item in list)
        {
            if (found.Done) return;
            var at = found.Path(prefix, name, i++);
            if (item is null) found.Add(at, "everything");
            else Collect(item, at, found);
        }
    }

    // What is missing. Unnamed (the first pass) it only notes that something is, and builds no text.
    private sealed class Findings(bool named)
    {
        public List<string> Names { get; } = [];

        public bool Any { get; private set; }

        public bool Done => named ? Names.Count >= MaxNames : Any;

        public string? Path(string? prefix, string name, int index) => named ? $"{prefix}{name}item {index}: " : null;

        public void Require(string? prefix, params ReadOnlySpan<(string? Text, string Name)> fields)
        {
            foreach (var (text, name) in fields)
            {
                if (string.IsNullOrEmpty(text)) Add(prefix, name);
            }
        }

        public void Add(string? prefix, string name)
        {
            Any = true;
            if (named && Names.Count < MaxNames) Names.Add(prefix + name);
        }

        public void Add(string? prefix, string name, int index)
        {
            Any = true;
            if (named && Names.Count < MaxNames) Names.Add(prefix + name + index.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
