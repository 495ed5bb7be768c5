namespace Mesa.Client;

/// <summary>Orders object members by name in code point order, then by their position in the text.</summary>
internal readonly struct ElementMemberComparer : IComparer<ElementMember>
{
    public int Compare(ElementMember x, ElementMember y)
    {
        var byName = CodePointComparer.Instance.Compare(x.Name, y.Name);
        return byName != 0 ? byName : x.Position.CompareTo(y.Position);
    }
}
