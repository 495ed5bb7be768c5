namespace Mesa.PowerShell.Tests;

/// <summary>
/// One bundled server for a test class, started with Start-MesaLocalServer in a runspace of its own; tests connect
/// to it from their own runspaces. Stopped (and checked gone) when the class is done.
/// </summary>
public sealed class LocalServerFixture : IDisposable
{
    private readonly PowerShellSession _owner = new();

    public LocalServerFixture()
    {
        var server = _owner.RunSingle("Start-MesaLocalServer");
        Uri = (Uri)server.Properties["Uri"].Value;
        ProcessId = (int)server.Properties["ProcessId"].Value;
        AdminToken = _owner.RunSingle("$args[0].AdminToken | ConvertFrom-SecureString -AsPlainText", server).BaseObject.ToString()!;
    }

    public Uri Uri { get; }

    public int ProcessId { get; }

    public string AdminToken { get; }

    /// <summary>
    /// A new runspace connected to the server, with <c>$kp</c> (a keypair) and <c>$me</c> (its registered principal,
    /// allowed to emit offers) and <c>$conn</c> (the connection).
    /// </summary>
    public PowerShellSession Connect()
    {
        var session = new PowerShellSession();
        session.Run("""
            param($uri, $token)
            $global:conn = Connect-Mesa -Uri $uri -AdminToken (ConvertTo-SecureString $token -AsPlainText -Force) -PassThru
            $global:kp = New-MesaKeypair
            $none = [Threading.CancellationToken]::None
            $global:me = $conn.Client.CreatePrincipalAsync('acme', $kp.PublicKeyHex, $none).GetAwaiter().GetResult()
            $null = $conn.Client.SetCapabilitiesAsync($me.Id, [string[]]@('offer'), $null, $none).GetAwaiter().GetResult()
            """, Uri, AdminToken);
        Assert.Empty(session.Errors);
        return session;
    }

    public void Dispose()
    {
        _owner.Run("Stop-MesaLocalServer");
        _owner.Dispose();
        Assert.True(ProcessProbe.WaitGone(ProcessId, TimeSpan.FromSeconds(10)), $"fixture server {ProcessId} still running");
    }
}
