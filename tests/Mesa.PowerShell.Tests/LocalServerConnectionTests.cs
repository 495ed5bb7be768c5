using System.Management.Automation;

namespace Mesa.PowerShell.Tests;

/// <summary>Using a started server: -Connect, the pipeline into Connect-Mesa, its admin token, profile and database.</summary>
public sealed class LocalServerConnectionTests
{
    // Asks the admin-only route at $uri without a token and with $plainToken; returns the status and error code of each.
    private const string AdminProbe = """
        $route = "$($uri)principals/$('0' * 32)/capabilities"
        $body = '{"capabilities":["offer"]}'
        $anonymous = Invoke-WebRequest -Method Put -Uri $route -Body $body -ContentType application/json -SkipHttpErrorCheck
        $withToken = Invoke-WebRequest -Method Put -Uri $route -Body $body -ContentType application/json -SkipHttpErrorCheck -Headers @{ 'X-Admin-Token' = $plainToken }
        foreach ($r in $anonymous, $withToken) {
            $detail = ($r.Content | ConvertFrom-Json).detail
            '{0} {1}' -f [int]$r.StatusCode, $(if ($detail -is [string]) { $detail } else { $detail.code })
        }
        """;

    [Fact]
    public void Connect_makes_the_server_the_default_connection()
    {
        using var session = new PowerShellSession();
        try
        {
            session.RunSingle("Start-MesaLocalServer -Connect");

            // Cmdlets now work without -Connection.
            var deliberation = session.RunSingle("New-MesaDeliberation -Title 'via -Connect'");
            Assert.Equal("open", deliberation.Properties["Status"].Value);
            Assert.Equal("via -Connect", session.RunSingle("(Get-MesaDeliberation).Title").BaseObject);
        }
        finally
        {
            session.Run("Stop-MesaLocalServer");
        }
    }

    [Fact]
    public void Piping_the_server_into_Connect_Mesa_binds_Uri_AdminToken_and_Profile()
    {
        using var session = new PowerShellSession();
        try
        {
            var connection = session.RunSingle("Start-MesaLocalServer -Profile v1 | Connect-Mesa -PassThru");

            Assert.True((bool)connection.Properties["HasAdminToken"].Value);
            Assert.Equal("V1", connection.Properties["Profile"].Value.ToString());
            var server = session.RunSingle("Get-MesaLocalServer");
            Assert.Equal(server.Properties["Uri"].Value.ToString(), connection.Properties["Uri"].Value.ToString());
        }
        finally
        {
            session.Run("Stop-MesaLocalServer");
        }
    }

    [Fact]
    public void The_generated_admin_token_works_and_is_not_on_the_command_line()
    {
        using var session = new PowerShellSession();
        try
        {
            var server = session.RunSingle("Start-MesaLocalServer");
            var token = session.RunSingle("$server.AdminToken | ConvertFrom-SecureString -AsPlainText", ("server", server)).BaseObject.ToString()!;
            Assert.Matches("^[0-9a-f]{64}$", token);

            var answers = session.Run(AdminProbe, ("uri", server.Properties["Uri"].Value), ("plainToken", token)).Output.Select(o => o.ToString()).ToArray();

            // Without it: forbidden. With it: the gate opens and the unknown principal is what fails.
            Assert.Equal(new[] { "403 admin_forbidden", "404 principal not found" }, answers);
            if (OperatingSystem.IsLinux())
            {
                var pid = (int)server.Properties["ProcessId"].Value;
                var commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
                Assert.DoesNotContain(token, commandLine);
                Assert.Contains("Mesa.LocalServer.dll", commandLine);
            }

            Assert.DoesNotContain(token, server.ToString());
            Assert.DoesNotContain(token, string.Join("\n", session.Run("$server | Format-List * | Out-String", ("server", server)).Output));
        }
        finally
        {
            session.Run("Stop-MesaLocalServer");
        }
    }

    [Fact]
    public void A_given_admin_token_is_used_and_NoAdminToken_disables_admin_routes()
    {
        using var session = new PowerShellSession();
        try
        {
            var given = session.RunSingle("Start-MesaLocalServer -AdminToken (ConvertTo-SecureString 'my-own-token' -AsPlainText -Force)");
            Assert.Equal(
                new[] { "403 admin_forbidden", "404 principal not found" },
                session.Run(AdminProbe, ("uri", given.Properties["Uri"].Value), ("plainToken", "my-own-token")).Output.Select(o => o.ToString()));

            // A token in pwsh's own environment must not leak into a server started without one.
            var none = session.RunSingle("$env:MESA_ADMIN_TOKEN = 'from-env'; try { Start-MesaLocalServer -NoAdminToken } finally { Remove-Item env:MESA_ADMIN_TOKEN }");
            Assert.Null(none.Properties["AdminToken"].Value);
            Assert.Equal(
                new[] { "403 admin_disabled", "403 admin_disabled" },
                session.Run(AdminProbe, ("uri", none.Properties["Uri"].Value), ("plainToken", "from-env")).Output.Select(o => o.ToString()));
        }
        finally
        {
            session.Run("Stop-MesaLocalServer");
        }
    }

    [Fact]
    public void A_database_file_keeps_data_across_restarts()
    {
        var db = Path.Combine(Path.GetTempPath(), $"mesa-{Guid.NewGuid():N}.db");
        using var session = new PowerShellSession();
        try
        {
            var first = session.RunSingle("Start-MesaLocalServer -DatabasePath $db -Connect", ("db", db));
            Assert.Equal(db, first.Properties["DatabasePath"].Value);
            session.RunSingle("New-MesaDeliberation -Title 'kept on disk'");
            session.Run("Stop-MesaLocalServer");
            Assert.True(File.Exists(db));

            session.RunSingle("Start-MesaLocalServer -DatabasePath $db -Connect", ("db", db));
            var titles = session.Run("(Get-MesaDeliberation).Title").Output.Select(o => o.ToString());

            Assert.Equal(new[] { "kept on disk" }, titles);
        }
        finally
        {
            session.Run("Stop-MesaLocalServer");
            foreach (var file in Directory.GetFiles(Path.GetDirectoryName(db)!, Path.GetFileName(db) + "*")) File.Delete(file);
        }
    }

    [Fact]
    public void A_policies_file_is_in_effect()
    {
        var file = Path.Combine(Path.GetTempPath(), $"mesa-policies-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, """
            [ { "name": "long terms need a look", "scope_kind": "global", "predicate_name": "term_months_over_cap",
                "params": { "cap": 12 }, "action": "flag" } ]
            """);
        using var session = new PowerShellSession();
        try
        {
            var server = session.RunSingle("Start-MesaLocalServer -PolicyPath $file -Connect", ("file", file));
            Assert.Equal(file, server.Properties["PolicyPath"].Value);

            var decision = session.RunSingle("""
                $none = [Threading.CancellationToken]::None; $n = [NullString]::Value
                $client = [Mesa.Client.MesaClient]::new([Mesa.Client.MesaClientOptions]@{ BaseUri = (Get-MesaLocalServer).Uri; AdminToken = ((Get-MesaLocalServer).AdminToken | ConvertFrom-SecureString -AsPlainText) })
                try {
                    $kp = New-MesaKeypair
                    $me = $client.CreatePrincipalAsync('acme', $kp.PublicKeyHex, $none).GetAwaiter().GetResult()
                    $null = $client.SetCapabilitiesAsync($me.Id, [string[]]@('offer'), $n, $none).GetAwaiter().GetResult()
                    $d = New-MesaDeliberation -Title 'policy check'
                    $e = [Mesa.Client.MesaEnvelope]::Create('offer', $me.Id, '{"summary":"two years","terms":{"term_months":24}}', $d.Id, $n, $n, $n, 'V2').Sign($kp)
                    $client.SubmitCommitmentAsync($e, $none).GetAwaiter().GetResult()
                } finally { $client.Dispose() }
                """);

            Assert.Equal("flagged", decision.Properties["Status"].Value);
            var applied = ((Mesa.Client.MesaCommitment)decision.BaseObject).Decision.Applied;
            Assert.Equal("long terms need a look", Assert.Single(applied).PolicyName);
        }
        finally
        {
            session.Run("Stop-MesaLocalServer");
            File.Delete(file);
        }
    }
}
