using System.Xml.Linq;

namespace Mesa.Client.Tests.Support;

/// <summary>Facts read from the repository the tests were built from.</summary>
internal static class RepoFiles
{
    /// <summary>The one ModuleVersion of Directory.Build.props.</summary>
    public static string ModuleVersion()
    {
        var props = XDocument.Load(Path.Combine(Root(), "Directory.Build.props"));
        return props.Descendants("ModuleVersion").Single().Value;
    }

    /// <summary>The repository root: the nearest folder above the tests that holds Mesa.PowerShell.sln.</summary>
    public static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Mesa.PowerShell.sln"))) dir = dir.Parent;
        Assert.NotNull(dir);
        return dir!.FullName;
    }

    /// <summary>Every C# source file under <c>src/</c> (no build output), as paths relative to the root with '/'.</summary>
    public static IReadOnlyList<string> SourceFiles()
    {
        var root = Root();
        return Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(f => !f.Contains("/obj/") && !f.Contains("/bin/"))
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
