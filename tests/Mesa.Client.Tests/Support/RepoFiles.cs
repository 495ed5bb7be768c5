using System.Xml.Linq;

namespace Mesa.Client.Tests.Support;

/// <summary>Facts read from the repository the tests were built from.</summary>
internal static class RepoFiles
{
    /// <summary>The one ModuleVersion of Directory.Build.props.</summary>
    public static string ModuleVersion()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Mesa.PowerShell.sln"))) dir = dir.Parent;
        Assert.NotNull(dir);
        var props = XDocument.Load(Path.Combine(dir!.FullName, "Directory.Build.props"));
        return props.Descendants("ModuleVersion").Single().Value;
    }
}
