namespace Mesa.LocalServer.Storage;

/// <summary>A <see cref="StoreWrite"/> that produces a <typeparamref name="T"/> for the request awaiting it.</summary>
internal sealed class PendingWrite<T>(Func<T> apply) : StoreWrite
{
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;
    private Exception? _error;

    public Task<T> Task => _completion.Task;

    public override bool Failed => _error is not null;

    public override void Apply()
    {
        try
        {
            _result = apply();
        }
        catch (Exception ex)
        {
            _error = ex;
            throw;
        }
    }

    public override void Complete()
    {
        if (_error is not null) _completion.TrySetException(_error);
        else _completion.TrySetResult(_result!);
    }

    public override void Fail(Exception exception) => _completion.TrySetException(exception);
}
