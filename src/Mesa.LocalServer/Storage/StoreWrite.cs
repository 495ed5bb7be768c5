namespace Mesa.LocalServer.Storage;

/// <summary>A write waiting for the next group commit (see <see cref="GroupCommitWriter"/>).</summary>
internal abstract class StoreWrite
{
    /// <summary>Runs the write inside the batch's transaction (the store's lock is held).</summary>
    public abstract void Apply();

    /// <summary>Hands the result to the waiting request, once the batch is committed.</summary>
    public abstract void Complete();

    /// <summary>Fails the waiting request.</summary>
    public abstract void Fail(Exception exception);

    /// <summary>True when <see cref="Apply"/> failed (its changes were rolled back to the item's savepoint).</summary>
    public abstract bool Failed { get; }
}
