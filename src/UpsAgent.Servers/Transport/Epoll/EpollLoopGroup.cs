namespace UpsAgent.Servers.Transport.Epoll;

/// <summary>A few event loops sharing a server's clients, handed out in turn.</summary>
internal sealed class EpollLoopGroup : IDisposable
{
    private readonly EpollLoop[] _loops;
    private uint _next;

    public EpollLoopGroup(int count, string name, Action<Exception> onError)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        _loops = new EpollLoop[count];
        try
        {
            for (int i = 0; i < count; i++)
            {
                _loops[i] = new EpollLoop($"{name} {i}", onError);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public int Count => _loops.Length;

    public EpollLoop Next() => _loops[Interlocked.Increment(ref _next) % (uint)_loops.Length];

    public void Dispose()
    {
        foreach (EpollLoop? loop in _loops)
        {
            loop?.Dispose();
        }
    }
}
