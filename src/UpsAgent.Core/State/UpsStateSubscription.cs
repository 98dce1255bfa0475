using System.Threading.Channels;

namespace UpsAgent.Core.State;

/// <summary>A reader's view of the change feed; dispose it to stop receiving.</summary>
public sealed class UpsStateSubscription : IDisposable
{
    private readonly UpsStateStore _store;
    private readonly Channel<UpsState> _channel;

    internal UpsStateSubscription(UpsStateStore store, Channel<UpsState> channel)
    {
        _store = store;
        _channel = channel;
    }

    public ChannelReader<UpsState> Changes => _channel.Reader;

    internal void Offer(UpsState state) => _channel.Writer.TryWrite(state);

    public void Dispose()
    {
        _store.Unsubscribe(this);
        _channel.Writer.TryComplete();
    }
}
