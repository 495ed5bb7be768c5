using System.Diagnostics;
using System.Globalization;

namespace Mesa.Client;

/// <summary>The process a <see cref="LocalServerStartInfo"/> describes: host, arguments, environment.</summary>
internal static class LocalServerCommandLine
{
    public static ProcessStartInfo Create(string serverPath, LocalServerStartInfo info)
    {
        var isAssembly = serverPath.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var start = new ProcessStartInfo(isAssembly ? DotnetHost() : serverPath)
        {
            UseShellExecute = false,
            CreateNoWindow = true,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = info.WorkingDirectory ?? Path.GetDirectoryName(serverPath)!,
        };
        var args = start.ArgumentList;
        if (isAssembly) args.Add(serverPath);
        if (info.Port is int port)
        {
            args.Add(LocalServerContract.UrlsOption);
            args.Add("http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture));
        }

        Add(args, LocalServerContract.DatabaseOption, info.DatabasePath);
        Add(args, LocalServerContract.ProtocolOption, info.Profile is { } profile ? LocalServerContract.ProtocolValue(profile) : null);
        Add(args, LocalServerContract.PoliciesOption, info.PolicyPath);
        if (info.ExitWithParent)
        {
            Add(args, LocalServerContract.ParentPidOption, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        }

        foreach (var arg in info.AdditionalArguments) args.Add(arg);

        // The token travels in the child's environment, never on its command line (where ps would show it); a
        // token in this process's own environment must not reach a server meant to run without one.
        if (info.AdminToken is null)
        {
            start.Environment.Remove(MesaEnvironmentVariables.AdminToken);
        }
        else
        {
            start.Environment[MesaEnvironmentVariables.AdminToken] = info.AdminToken;
        }

        return start;
    }

    /// <summary>The dotnet host: the one running this process when it is dotnet, else the SDK's, else PATH's.</summary>
    public static string DotnetHost()
    {
        var exe = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        var current = Environment.ProcessPath;
        if (current is not null && string.Equals(Path.GetFileName(current), exe, StringComparison.OrdinalIgnoreCase))
        {
            return current;
        }

        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk)) return fromSdk;

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, exe);
            if (File.Exists(candidate)) return candidate;
        }

        var root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        if (!string.IsNullOrEmpty(root) && File.Exists(Path.Combine(root, exe))) return Path.Combine(root, exe);

        // Let Process.Start report it: the error names the file it could not run.
        return exe;
    }

    private static void Add(IList<string> args, string option, string? value)
    {
        if (value is null) return;
        args.Add(option);
        args.Add(value);
    }
}
