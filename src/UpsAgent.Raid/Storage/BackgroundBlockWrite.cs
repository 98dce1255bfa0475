namespace UpsAgent.Raid.Storage;

/// <summary>
/// One batch of writes to one device carried out in the background while the caller goes on (the
/// rebuild reads its next window meanwhile). At most one batch is in flight; <see cref="Wait"/> ends it
/// and hands back its error, running the batch itself if its thread has not started it yet. Reused
/// from batch to batch, so it allocates nothing per batch; Dispose ends its thread.
/// </summary>
public sealed class BackgroundBlockWrite : IThreadPoolWorkItem, IDisposable
{
    private readonly ManualResetEventSlim _idle = new(initialState: true);
    private readonly IoThread _thread = new("background write");
    private BlockWrite[] _writes = [];
    private int _count;
    private int _taken = 1;
    private Exception? _error;

    /// <summary>Started and not yet ended by <see cref="Wait"/>.</summary>
    public bool Pending { get; private set; }

    public void Start(BlockWrite[] writes, int count)
    {
        if (Pending)
        {
            throw new InvalidOperationException("a background write is already in flight; wait for it first");
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, writes.Length);
        _writes = writes;
        _count = count;
        _error = null;
        Pending = true;
        _idle.Reset();
        Volatile.Write(ref _taken, 0);
        _thread.Post(this);
    }

    /// <summary>Ends the thread; a batch still in flight finishes first.</summary>
    public void Dispose()
    {
        Wait();
        _thread.Dispose();
    }

    /// <summary>
    /// Waits for the batch in flight (if any) and returns how it ended: null on success, else the first
    /// failure (an <see cref="IOException"/> from the device, or whatever else it threw). The batch stops
    /// at its first failure.
    /// </summary>
    public Exception? Wait()
    {
        if (!Pending)
        {
            return null;
        }

        RunIfNotTaken();
        _idle.Wait();
        Pending = false;
        Exception? error = _error;
        _error = null;
        _writes = [];
        return error;
    }

    void IThreadPoolWorkItem.Execute() => RunIfNotTaken();

    // A posted item that finds the batch taken (by Wait, or already run) does nothing, even if it runs
    // during a later batch: each batch runs exactly once.
    private void RunIfNotTaken()
    {
        if (Interlocked.CompareExchange(ref _taken, 1, 0) != 0)
        {
            return;
        }

        try
        {
            for (int i = 0; i < _count; i++)
            {
                BlockWrite w = _writes[i];
                w.Device.Write(w.Offset, w.Buffer.AsSpan(w.BufferOffset, w.Length));
            }
        }
        catch (Exception e)
        {
            // Handed to the waiter, on whose thread member failure is handled.
            _error = e;
        }
        finally
        {
            _idle.Set();
        }
    }
}
