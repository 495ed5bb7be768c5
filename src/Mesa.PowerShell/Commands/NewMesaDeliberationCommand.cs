using System.Management.Automation;
using Mesa.Client;
using Mesa.PowerShell.Infrastructure;

namespace Mesa.PowerShell.Commands;

/// <summary>Opens a deliberation (v2): a negotiation with a stage, a status and a transcript of signed turns.</summary>
[Cmdlet(VerbsCommon.New, "MesaDeliberation", SupportsShouldProcess = true)]
[OutputType(typeof(MesaDeliberation))]
public sealed class NewMesaDeliberationCommand : MesaConnectedCmdlet
{
    /// <summary>The title (1 to 255 characters, not blank).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    public string Title { get; set; } = "";

    /// <summary>An optional slug naming the counterparty.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? CounterpartySlug { get; set; }

    /// <summary>The stage to open in; the server's default is <c>offer</c>.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateSet("offer", "scope", "amendment", "signoff")]
    public string? Stage { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var client = Client;
        if (!ShouldProcess($"'{Title}' on {client.BaseUri}", "Open deliberation")) return;
        try
        {
            var created = Await(ct => client.CreateDeliberationAsync(Title, CounterpartySlug, Stage?.ToLowerInvariant(), ct));
            WriteObject(DeliberationOutput.Deliberation(created));
        }
        catch (Exception ex) when (ex is MesaException or ArgumentException)
        {
            WriteItemError(ex, Title);
        }
    }
}
