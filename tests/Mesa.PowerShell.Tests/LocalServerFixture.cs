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
        AdminToken = _owner.RunSingle("$server.AdminToken | ConvertFrom-SecureString -AsPlainText", ("server", server)).BaseObject.ToString()!;
    }

    /// <summary>The server's base address on loopback.</summary>
    public Uri Uri { get; }

    /// <summary>The server process, checked gone at the end.</summary>
    public int ProcessId { get; }

    /// <summary>The generated admin token in plain text, so that each test runspace can connect with it.</summary>
    public string AdminToken { get; }

    /// <summary>
    /// A new runspace connected to the server, with <c>$kp</c> (a keypair) and <c>$me</c> (its registered principal,
    /// allowed to emit offers) and <c>$conn</c> (the connection).
    /// </summary>
    public PowerShellSession Connect()
    {
        var session = new PowerShellSession();
        var connected = session.Run("""
            $global:conn = Connect-Mesa -Uri $uri -AdminToken (ConvertTo-SecureString $token -AsPlainText -Force) -PassThru
            $global:kp = New-MesaKeypair
            $none = [Threading.CancellationToken]::None
            $global:me = $conn.Client.CreatePrincipalAsync('acme', $kp.PublicKeyHex, $none).GetAwaiter().GetResult()
            $null = $conn.Client.SetCapabilitiesAsync($me.Id, [string[]]@('offer'), $null, $none).GetAwaiter().GetResult()
            """, ("uri", Uri), ("token", AdminToken));
        Assert.Empty(connected.Errors);
        return session;
    }

    /// <summary>Stops the server and fails when its process is still there 10 seconds later.</summary>
    public void Dispose()
    {
        _owner.Run("Stop-MesaLocalServer");
        _owner.Dispose();
        Assert.True(ProcessProbe.WaitGone(ProcessId, TimeSpan.FromSeconds(10)), $"fixture server {ProcessId} still running");
    }
}
