using System.Diagnostics;

namespace Mesa.PowerShell.Tests;

/// <summary>
/// A real <c>dotnet pwsh -NoProfile -NonInteractive</c> that has imported the built module and runs one script, with its
/// standard streams redirected (standard input closed).
/// </summary>
internal static class ChildPwsh
{
    /// <summary>Starts the script; the caller reads the streams and waits.</summary>
    public static Process Start(string script)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var args = new List<string> { "pwsh", "-NoProfile", "-NonInteractive", "-Command", $"Import-Module '{BuiltModule.ManifestPath}' -ErrorAction Stop; {script}" };

        // A test run started in the background (`dotnet test ... &` in a script, some CI runners) has SIGINT ignored, and
        // an ignored signal stays ignored across fork and exec: the child would never see a Ctrl+C. A terminal's pwsh
        // has the default disposition, so the child gets it back (GNU env) to be interrupted the way a user's shell is.
        if (InterruptIgnored())
        {
            args.InsertRange(0, ["--default-signal=INT", dotnet]);
            dotnet = "env";
        }

        var info = new ProcessStartInfo(dotnet)
        {
            WorkingDirectory = BuiltModule.RepoRoot,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info)!;
        process.StandardInput.Close();
        return process;
    }

    /// <summary>Runs the script to its end (at most 2 minutes) and returns the exit code and both streams.</summary>
    public static (int Exit, string Output, string Errors) Run(string script)
    {
        using var process = Start(script);
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("pwsh did not finish within 2 minutes");
        }

        return (process.ExitCode, output.Result, errors.Result);
    }

    private static bool InterruptIgnored()
    {
        if (!OperatingSystem.IsLinux()) return false;
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null
            && (ulong.Parse(line["SigIgn:".Length..].Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture) & 0b10) != 0;
    }
}
