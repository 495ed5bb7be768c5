using System.Diagnostics;
using System.Management.Automation;

namespace Mesa.PowerShell.Tests;

/// <summary>
/// The request path as the cmdlets show it: Connect-Mesa retries and the -Verbose retry line, Polly.Core in the module's
/// private load context, -Debug without a prompt under pwsh -NonInteractive (a real pwsh process), not-mesa answers,
/// user info in the URI and non-ASCII tokens refused.
/// </summary>
public sealed class TransportCmdletTests(PowerShellSession pwsh) : IClassFixture<PowerShellSession>
{
    private const string Principal =
        "{\"id\":\"0f8fad5bd9cb469fa16570867728950e\",\"org\":\"acme\"," +
        "\"public_key\":\"d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a\"," +
        "\"capabilities\":[\"offer\"],\"created_at\":\"2026-11-28T11:50:16\"}";

    [Fact]
    public void Connect_mesa_maximum_retry_count_makes_get_mesa_principal_retry_a_503_and_verbose_shows_it()
    {
        var principals = 0;
        using var server = new ScriptedHttpServer((_, _, path) => path switch
        {
            "/health" => (200, "{\"status\":\"ok\"}"),
            "/principals" => Interlocked.Increment(ref principals) == 1 ? (503, "{\"detail\":\"restarting\"}") : (200, "[" + Principal + "]"),
            _ => (404, "{\"detail\":\"Not Found\"}"),
        });

        var (exit, output, errors) = RunStopOnError(
            $"Connect-Mesa -Uri '{server.Uri}' -MaximumRetryCount 2 -RetryIntervalSec 1; " +
            "$c = Get-MesaConnection; \"CONN $($c.MaximumRetryCount) $($c.RetryIntervalSec)\"; " +
            "Get-MesaPrincipal -Verbose 4>&1 | ForEach-Object { if ($_ -is [System.Management.Automation.VerboseRecord]) { 'VERBOSE ' + $_.Message } else { 'OBJECT ' + $_.Id } }; " +
            "[AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Polly.Core' } | " +
            "ForEach-Object { 'POLLY ' + [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).Name }");

        Assert.True(exit == 0, $"pwsh exited {exit}: {errors}\n{output}");
        Assert.Equal("", errors.Trim());
        var lines = output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("CONN 2 1", lines);
        Assert.Contains(lines, l => l.StartsWith($"VERBOSE GET {server.Uri}principals -> 503 (", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"VERBOSE GET {server.Uri}principals -> 503, retry 1 of 2 in ", StringComparison.Ordinal) && l.EndsWith(" s", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"VERBOSE GET {server.Uri}principals -> 200 (", StringComparison.Ordinal));
        Assert.Contains("OBJECT 0f8fad5bd9cb469fa16570867728950e", lines);
        Assert.Equal(2, principals);
        // Polly.Core is loaded once, by the module's private load context, not the default one.
        Assert.Equal("POLLY Mesa.Dependencies", Assert.Single(lines, l => l.StartsWith("POLLY", StringComparison.Ordinal)));
    }

    [Fact]
    public void Polly_stays_in_the_private_load_context_after_remove_module_and_import_module_again()
    {
        var principals = 0;
        using var server = new ScriptedHttpServer((_, _, path) => path switch
        {
            "/health" => (200, "{\"status\":\"ok\"}"),
            _ => Interlocked.Increment(ref principals) % 2 == 1 ? (503, "{\"detail\":\"restarting\"}") : (200, "[" + Principal + "]"),
        });

        // A retry before and after the module is removed and imported again: Polly is used both times.
        var (exit, output, errors) = RunStopOnError(
            $"Connect-Mesa -Uri '{server.Uri}' -MaximumRetryCount 1 -RetryIntervalSec 1; 'FIRST ' + (Get-MesaPrincipal).Id; " +
            $"Remove-Module Mesa; Import-Module '{BuiltModule.ManifestPath}' -Force; " +
            $"Connect-Mesa -Uri '{server.Uri}' -MaximumRetryCount 1 -RetryIntervalSec 1; 'SECOND ' + (Get-MesaPrincipal).Id; " +
            "[AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Polly.Core' } | " +
            "ForEach-Object { 'POLLY ' + [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).Name }");

        Assert.True(exit == 0, $"pwsh exited {exit}: {errors}\n{output}");
        var lines = output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("FIRST 0f8fad5bd9cb469fa16570867728950e", lines);
        Assert.Contains("SECOND 0f8fad5bd9cb469fa16570867728950e", lines);
        Assert.Equal(4, principals);
        Assert.Equal("POLLY Mesa.Dependencies", Assert.Single(lines, l => l.StartsWith("POLLY", StringComparison.Ordinal)));
    }

    [Fact]
    public void Get_mesa_principal_debug_shows_the_request_line_and_bodies_without_a_prompt_under_non_interactive()
    {
        using var server = new ScriptedHttpServer((_, _, path) => path == "/health" ? (200, "{\"status\":\"ok\"}") : (200, "[" + Principal + "]"));

        var (exit, output, errors) = RunStopOnError(
            $"Connect-Mesa -Uri '{server.Uri}'; " +
            "Get-MesaPrincipal -Debug *>&1 | ForEach-Object { $_.GetType().Name + ': ' + $_ }; 'DONE'");

        Assert.True(exit == 0, $"pwsh exited {exit}: {errors}\n{output}");
        Assert.DoesNotContain("NonInteractive", output + errors);
        Assert.DoesNotContain("ErrorRecord", output);
        Assert.DoesNotContain("VerboseRecord", output);
        var lines = output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith($"DebugRecord: GET {server.Uri}principals -> 200 (", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("DebugRecord: Response body: [{\"id\":\"0f8fad5bd9cb469fa16570867728950e\"", StringComparison.Ordinal));
        Assert.Equal("DONE", lines[^1]);
    }

    [Fact]
    public void A_server_answering_status_ok_to_everything_gives_invalid_response_errors()
    {
        using var server = new ScriptedHttpServer((_, _, _) => (200, "{\"status\":\"ok\"}"));

        var result = pwsh.Run(
            "$c = Connect-Mesa -Uri $u -PassThru; " +
            "New-MesaPrincipal -Org acme -PublicKey ('a' * 64) -Connection $c; " +
            "$k = New-MesaKeypair; " +
            "New-MesaEnvelope -Type offer -EmittedBy p1 -Payload @{ summary = 's' } -DeliberationId d1 -Keypair $k -Connection $c | Submit-MesaCommitment -Connection $c; 'after'",
            ("u", server.Uri));

        Assert.Equal("after", Assert.Single(result.Output).BaseObject);
        Assert.Equal(
            ["InvalidResponse,Mesa.PowerShell.Commands.NewMesaPrincipalCommand", "InvalidResponse,Mesa.PowerShell.Commands.SubmitMesaCommitmentCommand"],
            result.Errors.Select(e => e.FullyQualifiedErrorId));
        Assert.All(result.Errors, e =>
        {
            Assert.Equal(ErrorCategory.InvalidResult, e.CategoryInfo.Category);
            Assert.Contains("Is this a mesa server?", e.Exception.Message);
            Assert.IsType<Mesa.Client.MesaInvalidResponseException>(e.Exception);
        });
    }

    [Fact]
    public void A_server_answering_status_ok_to_everything_gives_invalid_response_for_lists_and_details_too()
    {
        using var server = new ScriptedHttpServer((_, _, _) => (200, "{\"status\":\"ok\"}"));

        var result = pwsh.Run(
            "$c = Connect-Mesa -Uri $u -PassThru; Get-MesaPrincipal -Connection $c; Get-MesaDeliberation -Connection $c; " +
            "Get-MesaDeliberation -Id d1 -Connection $c; 'after'",
            ("u", server.Uri));

        Assert.Equal("after", Assert.Single(result.Output).BaseObject);
        Assert.Equal(
            ["InvalidResponse,Mesa.PowerShell.Commands.GetMesaPrincipalCommand", "InvalidResponse,Mesa.PowerShell.Commands.GetMesaDeliberationCommand",
             "InvalidResponse,Mesa.PowerShell.Commands.GetMesaDeliberationCommand"],
            result.Errors.Select(e => e.FullyQualifiedErrorId));
        Assert.All(result.Errors, e => Assert.Contains("Is this a mesa server?", e.Exception.Message));
    }

    [Fact]
    public void Debug_without_verbose_shows_warnings_and_retry_lines_without_a_prompt_under_non_interactive()
    {
        var principals = 0;
        using var server = new ScriptedHttpServer((_, _, path) => path switch
        {
            "/health" => (200, "{\"status\":\"ok\"}"),
            "/principals" => Interlocked.Increment(ref principals) == 1 ? (503, "{\"detail\":\"restarting\"}") : (200, "[" + Principal + "]"),
            _ => (403, "{\"detail\":{\"code\":\"admin_disabled\",\"message\":\"no admin token configured\"}}"),
        });

        // Connect-Mesa warns (the server has no admin token configured); Get-MesaPrincipal retries a 503.
        var (exit, output, errors) = RunStopOnError(
            $"Connect-Mesa -Uri '{server.Uri}' -AdminToken (ConvertTo-SecureString 'tok' -AsPlainText -Force) -MaximumRetryCount 1 -RetryIntervalSec 1 -Debug *>&1 | " +
            "ForEach-Object { $_.GetType().Name + ': ' + $_ }; " +
            "Get-MesaPrincipal -Debug *>&1 | ForEach-Object { $_.GetType().Name + ': ' + $_ }; 'DONE'");

        Assert.True(exit == 0, $"pwsh exited {exit}: {errors}\n{output}");
        Assert.DoesNotContain("NonInteractive", output + errors);
        Assert.DoesNotContain("ErrorRecord", output);
        var lines = output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith($"DebugRecord: WARNING: The server at {server.Uri} has no admin token configured (admin_disabled)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"DebugRecord: GET {server.Uri}principals -> 503, retry 1 of 1 in ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"DebugRecord: GET {server.Uri}principals -> 200 (", StringComparison.Ordinal));
        Assert.Equal("DONE", lines[^1]);
    }

    [Theory]
    [InlineData("Connect-Mesa -Uri 'admin:hunter2-pw@127.0.0.1:1'")]
    [InlineData("Connect-Mesa -Uri 'ftp://admin:hunter2-pw@127.0.0.1:1/'")]
    [InlineData("Connect-Mesa -Uri 'hunter2-pw'")]
    [InlineData("$env:MESA_URL = 'admin:hunter2-pw@127.0.0.1:1'; Connect-Mesa")]
    [InlineData("$env:MESA_URL = 'hunter2-pw@127.0.0.1 1'; Connect-Mesa")]
    [InlineData("$env:MESA_URL = 'admin:hunter2-pw@127.0.0.1:1'; Get-MesaPrincipal")]
    [InlineData("$env:MESA_URL = 'ftp://admin:hunter2-pw@127.0.0.1:1'; Get-MesaPrincipal")]
    public void An_address_that_is_not_http_is_refused_clearly_without_showing_a_password(string script)
    {
        var (exit, output, errors) = RunStopOnError(
            "try { " + script + " } catch { 'ID ' + $_.FullyQualifiedErrorId; 'MESSAGE ' + $_.Exception.Message; 'TARGET ' + $_.TargetObject; " +
            "$_ | Format-List * -Force | Out-String -Width 300; $_.Exception.ToString() }");

        Assert.True(exit == 0, $"pwsh exited {exit}: {errors}\n{output}");
        Assert.DoesNotContain("hunter2", output + errors);
        var lines = output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l is "ID InvalidArgument,Mesa.PowerShell.Commands.ConnectMesaCommand" or "ID InvalidEnvironmentConnection,Mesa.PowerShell.Commands.GetMesaPrincipalCommand");
        Assert.Contains(lines, l => l.StartsWith("MESSAGE ", StringComparison.Ordinal) && l.Contains("such as http://127.0.0.1:8000", StringComparison.Ordinal));
    }

    [Fact]
    public void Stopping_the_pipeline_during_a_retry_wait_stops_at_once_without_another_attempt()
    {
        using var server = new ScriptedHttpServer((_, _, _) => (503, "{\"detail\":\"restarting\"}"));
        // The first wait is about half an hour: a stop that did not cancel the wait would hang far past the bound.
        var connection = new MesaConnection(
            new Mesa.Client.MesaClient(new Mesa.Client.MesaClientOptions { BaseUri = server.Uri, Retry = new Mesa.Client.MesaRetryOptions(3, TimeSpan.FromMinutes(30)) }),
            DateTimeOffset.UtcNow, "ok");
        using var session = new PowerShellSession();
        using var ps = session.CreatePipeline();
        try
        {
            ps.AddCommand("Get-MesaPrincipal").AddParameter("Connection", connection).AddParameter("Verbose", true);
            var pending = ps.BeginInvoke();
            // The retry line is written when the wait begins.
            Assert.True(
                SpinWait.SpinUntil(() => ps.Streams.Verbose.Any(v => v.Message.Contains("-> 503, retry 1 of 3 in ", StringComparison.Ordinal)), TimeSpan.FromSeconds(30)),
                "the retry wait never began");
            var watch = Stopwatch.StartNew();
            Assert.True(Task.Run(ps.Stop).Wait(TimeSpan.FromSeconds(10)), "Stop waited for the retry instead of cancelling it");

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed.TotalMilliseconds} ms to stop");
            Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
            Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(pending));
            Assert.Equal(1, server.RequestCount);
        }
        finally
        {
            connection.Dispose();
        }
    }

    [Fact]
    public void A_uri_with_a_password_is_refused_without_showing_it()
    {
        var error = pwsh.RunFailing("Connect-Mesa -Uri 'http://admin:hunter2-pw@127.0.0.1:1/'");

        Assert.Equal("UserInfoInUri,Mesa.PowerShell.Commands.ConnectMesaCommand", error.FullyQualifiedErrorId);
        Assert.Contains("-Header", error.Exception.Message);
        Assert.DoesNotContain("hunter2", error.Exception.Message);
        Assert.DoesNotContain("hunter2", error.TargetObject?.ToString() ?? "");
        Assert.DoesNotContain("hunter2", error.ToString());
    }

    [Fact]
    public void An_admin_token_with_non_ascii_characters_is_refused_at_connect()
    {
        using var server = new ScriptedHttpServer((_, _, _) => (200, "{\"status\":\"ok\"}"));

        var error = pwsh.RunFailing(
            "Connect-Mesa -Uri $u -AdminToken (ConvertTo-SecureString 't\u00f6ken-\u201cx\u201d' -AsPlainText -Force)", ("u", server.Uri));

        Assert.Equal("InvalidArgument,Mesa.PowerShell.Commands.ConnectMesaCommand", error.FullyQualifiedErrorId);
        Assert.Contains("printable ASCII", error.Exception.Message);
        Assert.DoesNotContain("t\u00f6ken", error.Exception.Message);
        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public void A_non_ascii_mesa_admin_token_is_refused_naming_the_variable_and_sends_nothing()
    {
        using var server = new ScriptedHttpServer((_, _, _) => (200, "{\"status\":\"ok\"}"));

        var (exit, output, errors) = RunStopOnError(
            $"$env:MESA_URL = '{server.Uri}'; $env:MESA_ADMIN_TOKEN = 't\u00f6ken-x'; " +
            "try { Get-MesaPrincipal } catch { 'ID ' + $_.FullyQualifiedErrorId; 'MESSAGE ' + $_.Exception.Message }");

        Assert.True(exit == 0, $"pwsh exited {exit}: {errors}\n{output}");
        Assert.Contains("ID InvalidEnvironmentConnection,Mesa.PowerShell.Commands.GetMesaPrincipalCommand", output);
        Assert.Contains("MESSAGE The connection from $env:MESA_URL and $env:MESA_ADMIN_TOKEN cannot be made: The admin token contains characters other than printable ASCII", output);
        Assert.DoesNotContain("t\u00f6ken", output);
        Assert.Equal(0, server.RequestCount);
    }

    [Theory]
    [InlineData("-MaximumRetryCount 101")]
    [InlineData("-MaximumRetryCount -1")]
    [InlineData("-RetryIntervalSec 0")]
    [InlineData("-RetryIntervalSec 3601")]
    public void Retry_settings_out_of_range_are_refused_by_connect_mesa(string parameters)
    {
        var error = pwsh.RunFailing($"Connect-Mesa -Uri http://127.0.0.1:1/ {parameters}");
        Assert.StartsWith("ParameterArgumentValidationError", error.FullyQualifiedErrorId);
    }

    // A child pwsh in which the first error ends the script.
    private static (int Exit, string Output, string Errors) RunStopOnError(string script) =>
        ChildPwsh.Run("$ErrorActionPreference = 'Stop'; " + script);
}
