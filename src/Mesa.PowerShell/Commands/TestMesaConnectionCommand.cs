using System.Diagnostics;
using System.Management.Automation;
using Mesa.Client;
using Mesa.PowerShell.Infrastructure;

namespace Mesa.PowerShell.Commands;

/// <summary>
/// Checks that a connection's server answers <c>/health</c>, and how fast. The result says when it does not;
/// with <c>-Quiet</c> only <c>$true</c> or <c>$false</c> comes out and nothing is ever thrown.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "MesaConnection")]
[OutputType(typeof(MesaConnectionTest), typeof(bool))]
public sealed class TestMesaConnectionCommand : MesaConnectedCmdlet
{
    /// <summary>The connection to test, also from the pipeline (<c>Get-MesaConnection | Test-MesaConnection</c>).</summary>
    [Parameter(ValueFromPipeline = true)]
    public override MesaConnection? Connection { get; set; }

    /// <summary>Returns only <c>$true</c> (the server answered) or <c>$false</c> (no connection, or no answer).</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        // Quiet never throws, so it cannot use ResolveConnection's NoConnection error.
        var connection = Quiet ? Connection ?? ConnectionStore.Get() : ResolveConnection();
        if (connection is null)
        {
            WriteVerbose("There is no mesa connection to test; run Connect-Mesa first.");
            WriteObject(false);
            return;
        }

        var watch = Stopwatch.StartNew();
        MesaConnectionTest result;
        try
        {
            var health = Await(connection.Client.GetHealthAsync);
            result = new MesaConnectionTest(connection.Uri, true, health.Status, Elapsed(watch), null);
        }
        catch (MesaException ex)
        {
            result = new MesaConnectionTest(connection.Uri, false, ex.Code ?? ex.ErrorClass, Elapsed(watch), ex.Message);
        }
        catch (Exception ex) when (Quiet && ex is not PipelineStoppedException)
        {
            WriteVerbose($"The check of {connection.Uri} failed: {ex.Message}");
            WriteObject(false);
            return;
        }

        WriteVerbose($"{connection.Uri} answered {result.Status} in {result.RoundTripMs} ms.");
        WriteObject(Quiet ? result.Succeeded : Wrap(result, TypeNames.ConnectionTest));
    }

    private static double Elapsed(Stopwatch watch) => Math.Round(watch.Elapsed.TotalMilliseconds, 1);
}
