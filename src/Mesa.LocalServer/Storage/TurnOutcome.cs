namespace Mesa.LocalServer.Storage;

/// <summary>The result of <see cref="MesaStore.AppendTurnAsync"/>.</summary>
internal sealed record TurnOutcome(TurnOutcomeKind Kind, TurnRecord? Turn, string? DeliberationStatus);
