namespace Mesa.Client;

/// <summary>
/// The last lines a server process wrote (one stream, or both together), kept so a failure can be explained with the
/// server's own words. Bounded: a chatty server never grows it.
/// </summary>
internal sealed class OutputTail
{
    private readonly Queue<string> _lines = new();
    private readonly int _capacity;

    public OutputTail(int capacity) => _capacity = capacity;

    public void Add(string line)
    {
        lock (_lines)
        {
            _lines.Enqueue(line);
            while (_lines.Count > _capacity) _lines.Dequeue();
        }
    }

    public string[] Snapshot()
    {
        lock (_lines) return _lines.ToArray();
    }
}
