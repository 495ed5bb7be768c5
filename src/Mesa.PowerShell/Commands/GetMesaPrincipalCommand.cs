using System.Management.Automation;
using Mesa.Client;
using Mesa.PowerShell.Infrastructure;

namespace Mesa.PowerShell.Commands;

/// <summary>
/// Gets every principal (oldest first), or the ones with the given ids; <c>-PublicKey</c>, <c>-Keypair</c> and
/// <c>-Org</c> filter the list (here, over <c>GET /principals</c>: the server has no search).
/// </summary>
[Cmdlet(VerbsCommon.Get, "MesaPrincipal", DefaultParameterSetName = ListSet)]
[OutputType(typeof(MesaPrincipal))]
public sealed class GetMesaPrincipalCommand : MesaConnectedCmdlet
{
    private const string ListSet = "List";
    private const string IdSet = "Id";
    private const string KeypairSet = "Keypair";

    /// <summary>Principal ids (32 hex characters); omit to list them all.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PrincipalIdCompleter))]
    public string[]? Id { get; set; }

    /// <summary>Only the principal holding this public key (64 hex characters, any case).</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    public string? PublicKey { get; set; }

    /// <summary>Only the principal registered with this keypair's public key (<c>$key | Get-MesaPrincipal</c>).</summary>
    [Parameter(Mandatory = true, ParameterSetName = KeypairSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    public MesaKeypair? Keypair { get; set; }

    /// <summary>Only principals of this org (exact name, any case; wildcards such as <c>acme*</c> allowed).</summary>
    [Parameter(ParameterSetName = ListSet)]
    [Parameter(ParameterSetName = KeypairSet)]
    [ValidateNotNullOrEmpty]
    public string? Org { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (ParameterSetName != IdSet)
        {
            var publicKey = Keypair?.PublicKeyHex ?? PublicKey?.Trim();
            var org = Org is null ? null : NameMatch.Create(Org);
            try
            {
                foreach (var principal in Await(Client.GetPrincipalsAsync))
                {
                    if (publicKey is not null && !string.Equals(principal.PublicKey, publicKey, StringComparison.OrdinalIgnoreCase)) continue;
                    if (org is not null && !org(principal.Org)) continue;
                    WriteObject(Wrap(principal, TypeNames.Principal));
                }
            }
            catch (MesaException ex)
            {
                ThrowError(ex, null);
            }

            return;
        }

        foreach (var id in Id!)
        {
            try
            {
                WriteObject(Wrap(Await(ct => Client.GetPrincipalAsync(id, ct)), TypeNames.Principal));
            }
            catch (Exception ex) when (ex is MesaException or ArgumentException)
            {
                WriteItemError(ex, id);
            }
        }
    }
}
