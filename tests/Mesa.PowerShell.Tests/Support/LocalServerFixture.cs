using System.Management.Automation;

namespace Mesa.PowerShell.Tests;

/// <summary>
/// One bundled server for a test class, started with Start-MesaLocalServer in a runspace of its own (with a policies
/// file when a derived fixture gives one); tests connect to it from their own runspaces. Stopped (and checked gone)
/// when the class is done.
/// </summary>
public class LocalServerFixture : IDisposable
{
    private readonly PowerShellSession _owner = new();
    private readonly string? _policies;

    public LocalServerFixture()
        : this(null)
    {
    }

    /// <summary>Starts the server with <paramref name="policiesJson"/> as its policies file, when given.</summary>
    protected LocalServerFixture(string? policiesJson)
    {
        PSObject server;
        if (policiesJson is null)
        {
            server = _owner.RunSingle("Start-MesaLocalServer");
        }
        else
        {
            _policies = Path.Combine(Path.GetTempPath(), $"mesa-fixture-policies-{Guid.NewGuid():N}.json");
            File.WriteAllText(_policies, policiesJson);
            server = _owner.RunSingle("Start-MesaLocalServer -PolicyPath $p", ("p", _policies));
        }

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
    /// A new runspace connected to the server, with <c>$kp</c> (a keypair), <c>$me</c> (its registered principal,
    /// allowed to emit offers), <c>$conn</c> (the connection) and <c>$deal</c> (a fresh deliberation).
    /// </summary>
    public PowerShellSession Connect()
    {
        var session = new PowerShellSession();
        session.Run("""
            $global:conn = Connect-Mesa -Uri $uri -AdminToken (ConvertTo-SecureString $token -AsPlainText -Force) -PassThru
            $global:kp = New-MesaKeypair
            $global:me = New-MesaPrincipal -Org 'acme' -Keypair $kp
            $null = Set-MesaCapability -PrincipalId $me.Id -Capability offer
            $global:deal = New-MesaDeliberation -Title 'fixture'
            """, ("uri", Uri), ("token", AdminToken)).AssertNoErrors();
        return session;
    }

    /// <summary>Stops the server and fails when its process is still there 10 seconds later.</summary>
    public void Dispose()
    {
        _owner.Run("Stop-MesaLocalServer");
        _owner.Dispose();
        if (_policies is not null) File.Delete(_policies);
        Assert.True(ProcessProbe.WaitGone(ProcessId, TimeSpan.FromSeconds(10)), $"fixture server {ProcessId} still running");
        GC.SuppressFinalize(this);
    }
}
