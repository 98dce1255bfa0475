namespace UpsAgent.Raid.Storage;

/// <summary>
/// A thread of its own that carries out posted work items one after another: the request queue of one
/// member. Rebuild I/O blocks for as long as a disk takes, and on the shared thread pool such waits
/// leave other lanes queued behind them until the pool grows; a thread per member does not.
/// </summary>
internal sealed class IoThread : IDisposable
{
    private readonly SemaphoreSlim _posted = new(0);
    private IThreadPoolWorkItem? _item;
    private volatile bool _stopping;

    public IoThread(string name)
    {
        var thread = new Thread(Loop) { IsBackground = true, Name = name };
        thread.Start();
    }

    /// <summary>Runs <paramref name="item"/> on this thread. Items guard themselves against running twice.</summary>
    public void Post(IThreadPoolWorkItem item)
    {
        Volatile.Write(ref _item, item);
        _posted.Release();
    }

    public void Dispose()
    {
        _stopping = true;
        _posted.Release();
    }

    private void Loop()
    {
        while (true)
        {
            _posted.Wait();
            if (_stopping)
            {
                return;
            }

            Interlocked.Exchange(ref _item, null)?.Execute();
        }
    }
}
