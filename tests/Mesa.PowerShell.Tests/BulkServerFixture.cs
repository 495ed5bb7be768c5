namespace Mesa.PowerShell.Tests;

/// <summary>
/// A bundled server for the bulk tests, started with a block policy (an offer whose <c>terms.discount_pct</c> is over 30
/// is refused with <c>policy_blocked</c>); tests connect to it from runspaces of their own.
/// </summary>
public sealed class BulkServerFixture : IDisposable
{
    private readonly PowerShellSession _owner = new();
    private readonly string _policies = Path.Combine(Path.GetTempPath(), $"mesa-bulk-policies-{Guid.NewGuid():N}.json");

    public BulkServerFixture()
    {
        File.WriteAllText(_policies, """
            [{"id":"pol-block-discount","name":"block-deep-discount","scope_kind":"global","scope_ref":null,
              "predicate_name":"agent_discount_over_cap","params":{"cap":30},"action":"block","route_to":null,"enabled":true}]
            """);
        var server = _owner.RunSingle("Start-MesaLocalServer -PolicyPath $p", ("p", _policies));
        Uri = (Uri)server.Properties["Uri"].Value;
        ProcessId = (int)server.Properties["ProcessId"].Value;
        AdminToken = _owner.RunSingle("$server.AdminToken | ConvertFrom-SecureString -AsPlainText", ("server", server)).BaseObject.ToString()!;
    }

    public Uri Uri { get; }

    public int ProcessId { get; }

    public string AdminToken { get; }

    /// <summary>
    /// A new runspace connected to the server (<c>$conn</c>), with a keypair <c>$kp</c>, its principal <c>$me</c>
    /// allowed to emit offers, and a fresh deliberation <c>$deal</c>.
    /// </summary>
    public PowerShellSession Connect()
    {
        var session = new PowerShellSession();
        session.Run("""
            $global:conn = Connect-Mesa -Uri $uri -AdminToken (ConvertTo-SecureString $token -AsPlainText -Force) -PassThru
            $global:kp = New-MesaKeypair
            $global:me = New-MesaPrincipal -Org 'bulk' -Keypair $kp
            $null = Set-MesaCapability -PrincipalId $me.Id -Capability offer
            $global:deal = New-MesaDeliberation -Title 'bulk'
            """, ("uri", Uri), ("token", AdminToken)).AssertNoErrors();
        return session;
    }

    public void Dispose()
    {
        _owner.Run("Stop-MesaLocalServer");
        _owner.Dispose();
        File.Delete(_policies);
        Assert.True(ProcessProbe.WaitGone(ProcessId, TimeSpan.FromSeconds(10)), $"bulk fixture server {ProcessId} still running");
    }
}
