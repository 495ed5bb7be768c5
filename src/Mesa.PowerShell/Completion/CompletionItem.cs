namespace Mesa.PowerShell.Infrastructure;

/// <summary>One id offered by tab completion, with what the tooltip says about it (an org, a title).</summary>
internal sealed record CompletionItem(string Id, string Label, string ToolTip);
