using System.Management.Automation;
using System.Text;
using Mesa.Client;
using Mesa.PowerShell.Infrastructure;

namespace Mesa.PowerShell.Commands;

/// <summary>
/// Shows the canonical JSON mesa signs (sorted keys, no whitespace, Python's number and escape rules): of a value,
/// of JSON text (<c>-Json</c>), or of an envelope (its signed fields, exactly the bytes its signature covers).
/// </summary>
[Cmdlet(VerbsData.ConvertTo, "MesaCanonicalJson", DefaultParameterSetName = ObjectSet)]
[OutputType(typeof(string), typeof(byte[]))]
public sealed class ConvertToMesaCanonicalJsonCommand : MesaCmdlet
{
    private const string ObjectSet = "Object";
    private const string JsonSet = "Json";

    /// <summary>A value (hashtable, PSCustomObject, array, scalar) or a MesaEnvelope.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = ObjectSet)]
    [AllowNull]
    [AllowEmptyString]
    [AllowEmptyCollection]
    public object? InputObject { get; set; }

    /// <summary>JSON text to canonicalise (numbers keep their written kind: 1 stays an integer, 1.0 a float).</summary>
    [Parameter(Mandatory = true, ParameterSetName = JsonSet)]
    [ValidateNotNull]
    public string Json { get; set; } = "";

    /// <summary>Returns the UTF-8 bytes (one byte[]) instead of a string.</summary>
    [Parameter]
    public SwitchParameter AsByteArray { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        object? target = ParameterSetName == JsonSet ? Json : InputObject;
        byte[] bytes;
        try
        {
            bytes = ParameterSetName == JsonSet
                ? CanonicalJson.FromJson(Json)
                : (InputObject is PSObject { BaseObject: MesaEnvelope } or MesaEnvelope
                    ? ((MesaEnvelope)(InputObject is PSObject p ? p.BaseObject : InputObject)).GetCanonicalBytes()
                    : CanonicalJson.FromObject(PSValueConverter.ToPlain(InputObject)));
        }
        catch (ArgumentException ex)
        {
            WriteItemError(ex, target);
            return;
        }

        if (AsByteArray)
        {
            WriteObject(bytes, enumerateCollection: false);
        }
        else
        {
            WriteObject(Encoding.UTF8.GetString(bytes));
        }
    }
}
