using System.Collections.ObjectModel;

namespace Mesa.Client;

/// <summary>
/// Seals the lists of a model. The deserialiser fills an <see cref="IReadOnlyList{T}"/> with a <see cref="List{T}"/>,
/// which PowerShell would let a user change in place (<c>$principal.Capabilities.Add('x')</c>): a model is what the
/// server said, so its lists are copied into read-only ones when the model is made.
/// </summary>
internal static class ReadOnlyLists
{
    /// <summary>A read-only copy of <paramref name="items"/> (as is when already read-only); null stays null, for the response check to report.</summary>
    public static IReadOnlyList<T> Of<T>(IReadOnlyList<T> items) => items switch
    {
        null => null!,
        ReadOnlyCollection<T> sealedAlready => sealedAlready,
        { Count: 0 } => ReadOnlyCollection<T>.Empty,
        _ => new ReadOnlyCollection<T>(items.ToArray()),
    };
}
