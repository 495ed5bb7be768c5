using System.Xml.Linq;

namespace Mesa.PowerShell.Tests;

/// <summary>The views of the shipped Mesa.format.ps1xml (out/Mesa), read as data: name, control, types and labels.</summary>
internal static class FormatFile
{
    /// <summary>One view: its name, its control (Table, List or Custom), the type names it selects and its labels in order.</summary>
    public sealed record View(string Name, string Control, string[] Types, string[] Labels);

    /// <summary>
    /// Reads every view. A label is a header's Label, else the property its column shows; a list item's Label, else
    /// its PropertyName. Custom views have none.
    /// </summary>
    public static List<View> ReadViews()
    {
        var document = XDocument.Load(Path.Combine(BuiltModule.Directory, "Mesa.format.ps1xml"));
        var sets = document.Descendants("SelectionSet").ToDictionary(
            s => (string)s.Element("Name")!, s => s.Descendants("TypeName").Select(t => (string)t).ToArray());
        var views = new List<View>();
        foreach (var view in document.Descendants("View"))
        {
            var selectedBy = view.Element("ViewSelectedBy")!;
            var types = selectedBy.Elements("TypeName").Select(t => (string)t)
                .Concat(selectedBy.Elements("SelectionSetName").SelectMany(s => sets[(string)s])).ToArray();
            var labels = new List<string>();
            var control = "Custom";
            if (view.Element("TableControl") is { } table)
            {
                control = "Table";
                var headers = table.Descendants("TableColumnHeader").ToArray();
                var items = table.Descendants("TableRowEntry").First().Descendants("TableColumnItem").ToArray();
                Assert.Equal(headers.Length, items.Length);
                labels.AddRange(headers.Select((h, i) => (string?)h.Element("Label") ?? (string)items[i].Element("PropertyName")!));
            }

            if (view.Element("ListControl") is { } list)
            {
                control = "List";
                labels.AddRange(list.Descendants("ListItem").Select(i => (string?)i.Element("Label") ?? (string)i.Element("PropertyName")!));
            }

            views.Add(new View((string)view.Element("Name")!, control, types, [.. labels]));
        }

        return views;
    }
}
