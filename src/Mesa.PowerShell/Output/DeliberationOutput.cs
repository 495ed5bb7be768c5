using System.Management.Automation;
using Mesa.Client;

namespace Mesa.PowerShell.Infrastructure;

/// <summary>
/// Wraps deliberation records for output. The records stay what they are (users can still cast to the Mesa.Client
/// types); a detail's turns and commitments are wrapped too, so pipelines see Mesa.Turn and Mesa.CommitmentSummary
/// however the detail is taken apart.
/// </summary>
internal static class DeliberationOutput
{
    public static PSObject Deliberation(MesaDeliberation deliberation) => ModuleOutput.Wrap(deliberation, TypeNames.Deliberation);

    public static PSObject Turn(MesaTurn turn) => ModuleOutput.Wrap(turn, TypeNames.Turn);

    public static PSObject Detail(MesaDeliberationDetail detail)
    {
        // Mesa.Deliberation second: anything written for a plain deliberation accepts a detail too,
        // while the detail's own view (first in the list) wins for display.
        var pso = ModuleOutput.Wrap(detail, TypeNames.Deliberation);
        ModuleOutput.Wrap(detail, TypeNames.DeliberationDetail);
        var turns = detail.Turns.Select(Turn).ToArray();
        var commitments = detail.Commitments.Select(Commitment).ToArray();

        // Instance members shadow the record's own properties (preValidated skips the duplicate-name check).
        pso.Properties.Add(new PSNoteProperty(nameof(MesaDeliberationDetail.Turns), turns), true);
        pso.Properties.Add(new PSNoteProperty(nameof(MesaDeliberationDetail.Commitments), commitments), true);
        return pso;
    }

    /// <summary>A commitment listed in a deliberation's detail (the client has filled in its deliberation's id).</summary>
    public static PSObject Commitment(MesaCommitmentSummary commitment) => ModuleOutput.Wrap(commitment, TypeNames.CommitmentSummary);
}
