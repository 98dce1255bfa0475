using System.Net.Sockets;

namespace UpsAgent.Servers.Transport;

/// <summary>
/// A stream channel over the runtime's own socket engine; used where the epoll loops are not
/// (other platforms, or when they are turned off).
/// </summary>
internal sealed class SocketChannel : IStreamChannel
{
    private readonly Socket _socket;
    private CancellationTokenSource _receiveCancel = new();
    private CancellationTokenSource _sendCancel = new();
    private bool _receiveCanceled;
    private bool _sendCanceled;

    public SocketChannel(Socket socket) => _socket = socket;

    public ValueTask<int> ReceiveAsync(Memory<byte> buffer)
    {
        if (Volatile.Read(ref _receiveCanceled))
        {
            ResetCancel(ref _receiveCancel, ref _receiveCanceled);
            return ValueTask.FromException<int>(new OperationCanceledException());
        }

        return Observe(_socket.ReceiveAsync(buffer, SocketFlags.None, _receiveCancel.Token), receive: true);
    }

    public ValueTask<int> SendAsync(ReadOnlyMemory<byte> buffer)
    {
        if (Volatile.Read(ref _sendCanceled))
        {
            ResetCancel(ref _sendCancel, ref _sendCanceled);
            return ValueTask.FromException<int>(new OperationCanceledException());
        }

        return Observe(_socket.SendAsync(buffer, SocketFlags.None, _sendCancel.Token), receive: false);
    }

    public void CancelReceive() => Cancel(_receiveCancel, ref _receiveCanceled);

    public void CancelSend() => Cancel(_sendCancel, ref _sendCanceled);

    public void ClearReceiveCancel() => ResetCancel(ref _receiveCancel, ref _receiveCanceled);

    public void ClearSendCancel() => ResetCancel(ref _sendCancel, ref _sendCanceled);

    public void Dispose()
    {
        _receiveCancel.Dispose();
        _sendCancel.Dispose();
    }

    private ValueTask<int> Observe(ValueTask<int> pending, bool receive) =>
        pending.IsCompletedSuccessfully ? pending : AwaitAsync(pending, receive);

    // A cancel that completed the call is consumed here, so the next call starts fresh.
    private async ValueTask<int> AwaitAsync(ValueTask<int> pending, bool receive)
    {
        try
        {
            return await pending.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            if (receive)
            {
                ResetCancel(ref _receiveCancel, ref _receiveCanceled);
            }
            else
            {
                ResetCancel(ref _sendCancel, ref _sendCanceled);
            }

            throw;
        }
    }

    private static void Cancel(CancellationTokenSource source, ref bool canceled)
    {
        Volatile.Write(ref canceled, true);
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private static void ResetCancel(ref CancellationTokenSource source, ref bool canceled)
    {
        Volatile.Write(ref canceled, false);
        if (source.IsCancellationRequested)
        {
            source.Dispose();
            source = new CancellationTokenSource();
        }
    }
}
