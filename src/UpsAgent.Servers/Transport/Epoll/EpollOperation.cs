using System.Threading.Tasks.Sources;

namespace UpsAgent.Servers.Transport.Epoll;

/// <summary>
/// The reusable completion behind one pending receive or send. Continuations run on the thread
/// that completes it (the event loop), as the runtime's inline socket completions do, so a
/// request is read, answered and sent without a thread hop.
/// </summary>
internal sealed class EpollOperation : IValueTaskSource<int>
{
    private ManualResetValueTaskSourceCore<int> _core;

    public short Version => _core.Version;

    public void Reset() => _core.Reset();

    public void SetResult(int result) => _core.SetResult(result);

    public void SetException(Exception error) => _core.SetException(error);

    public int GetResult(short token) => _core.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
