using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using System.Security;

namespace Mesa.PowerShell.Tests;

/// <summary>Start-/Get-/Stop-MesaLocalServer against the real bundled server process.</summary>
public sealed class LocalServerLifecycleTests
{
    [Fact]
    public void Start_returns_a_running_server_and_Stop_leaves_no_process_behind()
    {
        using var session = new PowerShellSession();
        var server = session.RunSingle("Start-MesaLocalServer");

        Assert.Contains("Mesa.LocalServer", server.TypeNames);
        var uri = (Uri)server.Properties["Uri"].Value;
        var pid = (int)server.Properties["ProcessId"].Value;
        Assert.Equal("127.0.0.1", uri.Host);
        Assert.NotEqual(0, uri.Port);
        Assert.Equal(":memory:", server.Properties["DatabasePath"].Value);
        Assert.Equal("V2", server.Properties["Profile"].Value.ToString());
        var token = Assert.IsType<SecureString>(server.Properties["AdminToken"].Value);
        Assert.Equal(64, token.Length);
        Assert.True(ProcessProbe.IsAlive(pid));
        Assert.Equal("ok", session.RunSingle("(Invoke-RestMethod -Uri ($uri.ToString() + 'health')).status", ("uri", uri)).BaseObject);

        var stopped = session.Run("Stop-MesaLocalServer");

        Assert.Empty(stopped.Errors);
        Assert.True(ProcessProbe.WaitGone(pid, TimeSpan.FromSeconds(10)), $"server process {pid} still running after Stop-MesaLocalServer");
        Assert.Empty(session.Run("Get-MesaLocalServer").Output);
    }

    [Fact]
    public void Two_servers_run_at_once_on_different_ports_and_Stop_without_arguments_stops_both()
    {
        using var session = new PowerShellSession();
        var first = session.RunSingle("Start-MesaLocalServer");
        var second = session.RunSingle("Start-MesaLocalServer");
        var pids = new[] { (int)first.Properties["ProcessId"].Value, (int)second.Properties["ProcessId"].Value };
        Assert.NotEqual(((Uri)first.Properties["Uri"].Value).Port, ((Uri)second.Properties["Uri"].Value).Port);

        var listed = session.Run("Get-MesaLocalServer").Output;
        Assert.Equal(2, listed.Count);
        Assert.All(listed, s => Assert.True((bool)s.Properties["Responding"].Value));
        Assert.Equal(pids.Order(), listed.Select(s => (int)s.Properties["ProcessId"].Value).Order());

        session.Run("Stop-MesaLocalServer");

        Assert.All(pids, pid => Assert.True(ProcessProbe.WaitGone(pid, TimeSpan.FromSeconds(10)), $"server {pid} still running"));
    }

    [Fact]
    public void Stop_takes_servers_from_the_pipeline_and_leaves_the_others_running()
    {
        using var session = new PowerShellSession();
        var keep = session.RunSingle("Start-MesaLocalServer");
        var stop = session.RunSingle("Start-MesaLocalServer");
        try
        {
            var stopped = session.Run("$stop | Stop-MesaLocalServer", ("stop", stop));

            Assert.Empty(stopped.Errors);
            Assert.True(ProcessProbe.WaitGone((int)stop.Properties["ProcessId"].Value, TimeSpan.FromSeconds(10)));
            Assert.True(ProcessProbe.IsAlive((int)keep.Properties["ProcessId"].Value));
            var left = Assert.Single(session.Run("Get-MesaLocalServer").Output);
            Assert.Equal(keep.Properties["ProcessId"].Value, left.Properties["ProcessId"].Value);
        }
        finally
        {
            session.Run("Stop-MesaLocalServer");
        }
    }

    [Fact]
    public void Stop_refuses_a_process_this_session_did_not_start_and_a_piped_null_stops_nothing()
    {
        using var session = new PowerShellSession();
        var server = session.RunSingle("Start-MesaLocalServer");
        try
        {
            var refused = session.Run("Stop-MesaLocalServer -Server $PID");
            var error = Assert.Single(refused.Errors);
            Assert.StartsWith("LocalServerNotFound,", error.FullyQualifiedErrorId);

            session.Run("$null | Stop-MesaLocalServer; @() | Stop-MesaLocalServer");
            Assert.True(ProcessProbe.IsAlive((int)server.Properties["ProcessId"].Value));
        }
        finally
        {
            session.Run("Stop-MesaLocalServer");
        }
    }

    [Fact]
    public void WhatIf_starts_and_stops_nothing()
    {
        using var session = new PowerShellSession();
        Assert.Empty(session.Run("Start-MesaLocalServer -WhatIf").Output);
        Assert.Empty(session.Run("Get-MesaLocalServer").Output);

        var server = session.RunSingle("Start-MesaLocalServer");
        try
        {
            session.Run("Stop-MesaLocalServer -WhatIf");
            Assert.True(ProcessProbe.IsAlive((int)server.Properties["ProcessId"].Value));
        }
        finally
        {
            session.Run("Stop-MesaLocalServer");
        }
    }

    [Fact]
    public void A_given_port_is_used()
    {
        var port = ClosedPort.Find();
        using var session = new PowerShellSession();
        var server = session.RunSingle("Start-MesaLocalServer -Port $port", ("port", port));
        try
        {
            Assert.Equal(port, ((Uri)server.Properties["Uri"].Value).Port);
        }
        finally
        {
            session.Run("Stop-MesaLocalServer");
        }
    }

    [Fact]
    public void A_taken_port_is_reported_with_the_servers_reason()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        using var session = new PowerShellSession();

        var error = session.RunFailing("Start-MesaLocalServer -Port $port", ("port", port));

        Assert.StartsWith("LocalServerStartFailed,", error.FullyQualifiedErrorId);
        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Exception.Message);
        Assert.Contains("in use", error.Exception.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(session.Run("Get-MesaLocalServer").Output);
    }

    [Fact]
    public void A_broken_policies_file_is_reported_with_the_servers_reason()
    {
        var file = Path.Combine(Path.GetTempPath(), $"mesa-broken-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, "[ { \"name\": \"cap\", \"action\": ");
        try
        {
            using var session = new PowerShellSession();
            var error = session.RunFailing("Start-MesaLocalServer -PolicyPath $file", ("file", file));

            Assert.StartsWith("LocalServerStartFailed,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.OpenError, error.CategoryInfo.Category);
            Assert.Contains("polic", error.Exception.Message, StringComparison.OrdinalIgnoreCase);
            Assert.Empty(session.Run("Get-MesaLocalServer").Output);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_missing_policies_file_is_refused_before_anything_starts()
    {
        using var session = new PowerShellSession();
        var error = session.RunFailing("Start-MesaLocalServer -PolicyPath ./no-such-policies.json");

        Assert.StartsWith("PolicyFileNotFound,", error.FullyQualifiedErrorId);
        Assert.Contains("no-such-policies.json", error.Exception.Message);
    }

    [Fact]
    public void Remove_Module_stops_the_servers_of_its_runspace()
    {
        using var session = new PowerShellSession();
        var pid = (int)session.RunSingle("(Start-MesaLocalServer).ProcessId").BaseObject;

        session.Run("Remove-Module Mesa");

        Assert.True(ProcessProbe.WaitGone(pid, TimeSpan.FromSeconds(10)), "server still running after Remove-Module");
    }

    [Fact]
    public void Closing_the_runspace_stops_its_servers_and_no_other()
    {
        using var other = new PowerShellSession();
        var otherPid = (int)other.RunSingle("(Start-MesaLocalServer).ProcessId").BaseObject;
        int pid;
        using (var session = new PowerShellSession())
        {
            pid = (int)session.RunSingle("(Start-MesaLocalServer).ProcessId").BaseObject;
            Assert.Single(other.Run("Get-MesaLocalServer").Output);
        }

        try
        {
            Assert.True(ProcessProbe.WaitGone(pid, TimeSpan.FromSeconds(10)), "server still running after its runspace closed");
            Assert.True(ProcessProbe.IsAlive(otherPid));
        }
        finally
        {
            other.Run("Stop-MesaLocalServer");
        }
    }

    [Fact]
    public void Get_reports_a_server_that_died_as_not_responding()
    {
        using var session = new PowerShellSession();
        var pid = (int)session.RunSingle("(Start-MesaLocalServer).ProcessId").BaseObject;
        using (var process = System.Diagnostics.Process.GetProcessById(pid)) process.Kill();
        Assert.True(ProcessProbe.WaitGone(pid, TimeSpan.FromSeconds(10)));

        var listed = session.RunSingle("Get-MesaLocalServer");

        Assert.False((bool)listed.Properties["Responding"].Value);
        Assert.True((bool)listed.Properties["HasExited"].Value);
        Assert.Empty(session.Run("Stop-MesaLocalServer").Errors);
        Assert.Empty(session.Run("Get-MesaLocalServer").Output);
    }
}
