namespace Mesa.Client;

/// <summary>One turn of a deliberation's transcript.</summary>
public sealed record MesaTurn
{
    /// <summary>Turn id.</summary>
    public string Id { get; init; } = "";

    /// <summary>The deliberation it belongs to.</summary>
    public string DeliberationId { get; init; } = "";

    /// <summary>The principal who spoke.</summary>
    public string SpeakerId { get; init; } = "";

    /// <summary>What was said.</summary>
    public string Content { get; init; } = "";

    /// <summary>Position in the transcript, from 0.</summary>
    public int Index { get; init; }

    /// <summary>When it was stored.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The index, the speaker and what was said: <c>[0] 5f2c…: Opening offer</c> (how a detail's Turns list reads).</summary>
    public override string ToString() => $"[{Index}] {SpeakerId}: {Content}";
}
