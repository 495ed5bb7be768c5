using System.Management.Automation;
using Mesa.Client;
using Mesa.PowerShell.Infrastructure;

namespace Mesa.PowerShell.Commands;

/// <summary>
/// Registers a principal: an org name and an Ed25519 public key, given as hex or taken from a keypair
/// (<c>New-MesaKeypair | New-MesaPrincipal -Org acme</c>). Returns the principal with its server-assigned id.
/// </summary>
[Cmdlet(VerbsCommon.New, "MesaPrincipal", SupportsShouldProcess = true, DefaultParameterSetName = PublicKeySet)]
[OutputType(typeof(MesaPrincipal))]
public sealed class NewMesaPrincipalCommand : MesaConnectedCmdlet
{
    private const string PublicKeySet = "PublicKey";
    private const string KeypairSet = "Keypair";

    /// <summary>The organisation name (1-255 characters).</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Org { get; set; } = "";

    /// <summary>The Ed25519 public key as 64 hex characters.</summary>
    /// <remarks>
    /// Aliased PublicKeyHex: with -Org bound, PowerShell settles on the default set before reading the pipeline, so a
    /// piped keypair must also bind here by its PublicKeyHex property.
    /// </remarks>
    [Parameter(Mandatory = true, ParameterSetName = PublicKeySet, ValueFromPipelineByPropertyName = true)]
    [Alias("PublicKeyHex")]
    [ValidateNotNullOrEmpty]
    public string PublicKey { get; set; } = "";

    /// <summary>A keypair whose public key is registered (its private key never leaves this machine).</summary>
    [Parameter(Mandatory = true, ParameterSetName = KeypairSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    public MesaKeypair Keypair { get; set; } = null!;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var publicKey = ParameterSetName == KeypairSet ? Keypair.PublicKeyHex : PublicKey;
        object target = ParameterSetName == KeypairSet ? Keypair : PublicKey;
        if (!ShouldProcess($"{Org} ({publicKey})", "Register principal"))
        {
            return;
        }

        try
        {
            var principal = Await(ct => Client.CreatePrincipalAsync(Org, publicKey, ct));
            WriteObject(Wrap(principal, TypeNames.Principal));
        }
        catch (MesaConflictException ex)
        {
            WriteError(AlreadyRegistered(ex, publicKey, target));
        }
        catch (Exception ex) when (ex is MesaException or ArgumentException)
        {
            WriteItemError(ex, target);
        }
    }

    /// <summary>
    /// The 409 names no principal (<c>"public_key already registered"</c>); the list is read to say which one holds the
    /// key and how to get it. The error id stays <c>Conflict</c>.
    /// </summary>
    private ErrorRecord AlreadyRegistered(MesaConflictException conflict, string publicKey, object target)
    {
        var record = ErrorRecords.From(conflict, target);
        var lookup = $"Get-MesaPrincipal -PublicKey {publicKey.ToLowerInvariant()}";
        MesaPrincipal? holder = null;
        try
        {
            holder = Await(Client.GetPrincipalsAsync).FirstOrDefault(p => string.Equals(p.PublicKey, publicKey, StringComparison.OrdinalIgnoreCase));
        }
        catch (MesaException ex)
        {
            WriteVerbose($"Could not look up the principal holding the key: {ex.Message}");
        }

        var message = holder is null
            ? $"The public key {publicKey} is already registered ({conflict.Message}). Get its principal with: {lookup}"
            : $"The public key {publicKey} is already registered, to principal {holder.Id} (org '{holder.Org}', capabilities: {(holder.Capabilities.Count == 0 ? "none" : string.Join(", ", holder.Capabilities))}). Get it with: $principal = {lookup}";
        record.ErrorDetails = new ErrorDetails(message)
        {
            RecommendedAction = $"Use the existing principal ($principal = {lookup}) instead of registering the key again, or register a new key (New-MesaKeypair).",
        };
        return record;
    }
}
