namespace Mesa.PowerShell;

/// <summary>
/// The PSTypeNames the module puts on its output, for scripts and pipelines (<c>[PSTypeName('Mesa.Principal')]</c>).
/// Format views select on .NET type names instead; only <see cref="DeliberationCommitment"/> (and
/// <see cref="LocalServer"/>, see Mesa.format.ps1xml) also select a view.
/// </summary>
public static class TypeNames
{
    public const string Principal = "Mesa.Principal";
    public const string Commitment = "Mesa.Commitment";
    public const string Decision = "Mesa.Decision";
    public const string AppliedPolicy = "Mesa.AppliedPolicy";
    public const string Envelope = "Mesa.Envelope";
    public const string Keypair = "Mesa.Keypair";
    public const string Connection = "Mesa.Connection";
    public const string ConnectionTest = "Mesa.ConnectionTest";
    public const string Health = "Mesa.Health";
    public const string Deliberation = "Mesa.Deliberation";
    public const string DeliberationDetail = "Mesa.DeliberationDetail";
    public const string Turn = "Mesa.Turn";
    public const string CommitmentSummary = "Mesa.CommitmentSummary";
    public const string LocalServer = "Mesa.LocalServer";

    /// <summary>A commitment listed by Get-MesaCommitment (also a Mesa.CommitmentSummary).</summary>
    public const string DeliberationCommitment = "Mesa.DeliberationCommitment";
}
