using System.Net.Sockets;
using System.Runtime.InteropServices;
using static UpsAgent.Servers.Transport.Epoll.EpollNative;

namespace UpsAgent.Servers.Transport.Epoll;

/// <summary>
/// A connected socket served by an <see cref="EpollLoop"/>. Each direction has a signal word (the
/// loop's "ready" and a caller's "cancel") and a waiting flag; whoever clears the flag completes the
/// pending call, so an edge that arrives while a caller is deciding to wait is never lost (both sides
/// publish, then look at the other's word). recv and send use MSG_DONTWAIT, so the socket's own
/// blocking mode, which the runtime keeps for STARTTLS later, is left alone.
/// </summary>
internal sealed unsafe class EpollChannel : IStreamChannel
{
    private const int Ready = 1;
    private const int Canceled = 2;

    private readonly SafeSocketHandle _handle;
    private readonly int _fd;
    private readonly EpollLoop _loop;
    private readonly GCHandle _registration;
    private readonly EpollOperation _receive = new();
    private readonly EpollOperation _send = new();
    private int _receiveSignal = Ready;
    private int _receiveWaiting;
    private bool _mayReceive = true;
    private Memory<byte> _receiveBuffer;
    private int _sendSignal = Ready;
    private int _sendWaiting;
    private bool _maySend = true;
    private ReadOnlyMemory<byte> _sendBuffer;
    private int _disposed;

    public EpollChannel(Socket socket, EpollLoop loop)
    {
        _handle = socket.SafeHandle;
        _fd = (int)_handle.DangerousGetHandle();
        _loop = loop;
        _registration = loop.Register(_fd, this);
    }

    public ValueTask<int> ReceiveAsync(Memory<byte> buffer)
    {
        while (true)
        {
            if (TryReceive(buffer.Span, out int received, out Exception? error))
            {
                return error is null ? new ValueTask<int>(received) : ValueTask.FromException<int>(error);
            }

            _receiveBuffer = buffer;
            _receive.Reset();
            Interlocked.Exchange(ref _receiveWaiting, 1);
            if (Volatile.Read(ref _receiveSignal) == 0 || Interlocked.CompareExchange(ref _receiveWaiting, 0, 1) != 1)
            {
                return new ValueTask<int>(_receive, _receive.Version);
            }
        }
    }

    public ValueTask<int> SendAsync(ReadOnlyMemory<byte> buffer)
    {
        while (true)
        {
            if (TrySend(buffer.Span, out int sent, out Exception? error))
            {
                return error is null ? new ValueTask<int>(sent) : ValueTask.FromException<int>(error);
            }

            _sendBuffer = buffer;
            _send.Reset();
            Interlocked.Exchange(ref _sendWaiting, 1);
            if (Volatile.Read(ref _sendSignal) == 0 || Interlocked.CompareExchange(ref _sendWaiting, 0, 1) != 1)
            {
                return new ValueTask<int>(_send, _send.Version);
            }
        }
    }

    public void CancelReceive()
    {
        Interlocked.Or(ref _receiveSignal, Canceled);
        if (Interlocked.CompareExchange(ref _receiveWaiting, 0, 1) == 1)
        {
            // Completed on the pool, not on the canceller's thread (often a timer or a stop callback).
            ThreadPool.UnsafeQueueUserWorkItem(static c => c.CompletePendingReceive(), this, preferLocal: false);
        }
    }

    public void CancelSend()
    {
        Interlocked.Or(ref _sendSignal, Canceled);
        if (Interlocked.CompareExchange(ref _sendWaiting, 0, 1) == 1)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static c => c.CompletePendingSend(), this, preferLocal: false);
        }
    }

    public void ClearReceiveCancel() => Interlocked.And(ref _receiveSignal, ~Canceled);

    public void ClearSendCancel() => Interlocked.And(ref _sendSignal, ~Canceled);

    /// <summary>Stops the loop watching the socket (the socket itself stays open, e.g. for TLS).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _loop.Unregister(_fd, _registration);
        CancelReceive();
        CancelSend();
    }

    // On the loop thread.
    internal void OnEvents(uint mask)
    {
        if ((mask & (EpollIn | EpollRdHup | EpollHup | EpollErr)) != 0)
        {
            Interlocked.Or(ref _receiveSignal, Ready);
            if (Interlocked.CompareExchange(ref _receiveWaiting, 0, 1) == 1)
            {
                CompletePendingReceive();
            }
        }

        if ((mask & (EpollOut | EpollHup | EpollErr)) != 0)
        {
            Interlocked.Or(ref _sendSignal, Ready);
            if (Interlocked.CompareExchange(ref _sendWaiting, 0, 1) == 1)
            {
                CompletePendingSend();
            }
        }
    }

    // Runs only by whoever cleared the waiting flag, so one at a time with the caller's own attempts.
    private void CompletePendingReceive()
    {
        while (true)
        {
            if (TryReceive(_receiveBuffer.Span, out int received, out Exception? error))
            {
                _receiveBuffer = default;
                if (error is null)
                {
                    _receive.SetResult(received);
                }
                else
                {
                    _receive.SetException(error);
                }

                return;
            }

            Interlocked.Exchange(ref _receiveWaiting, 1);
            if (Volatile.Read(ref _receiveSignal) == 0 || Interlocked.CompareExchange(ref _receiveWaiting, 0, 1) != 1)
            {
                return;
            }
        }
    }

    private void CompletePendingSend()
    {
        while (true)
        {
            if (TrySend(_sendBuffer.Span, out int sent, out Exception? error))
            {
                _sendBuffer = default;
                if (error is null)
                {
                    _send.SetResult(sent);
                }
                else
                {
                    _send.SetException(error);
                }

                return;
            }

            Interlocked.Exchange(ref _sendWaiting, 1);
            if (Volatile.Read(ref _sendSignal) == 0 || Interlocked.CompareExchange(ref _sendWaiting, 0, 1) != 1)
            {
                return;
            }
        }
    }

    // True when the call is decided (bytes, end of stream, error or cancel); false when it must wait.
    // A short read means the socket was drained, so the next one waits for an edge instead of asking
    // the kernel again and hearing EAGAIN.
    private bool TryReceive(Span<byte> buffer, out int received, out Exception? error)
    {
        received = 0;
        error = null;
        int signal = Interlocked.Exchange(ref _receiveSignal, 0);
        if ((signal & Canceled) != 0)
        {
            _mayReceive |= (signal & Ready) != 0;
            error = new OperationCanceledException();
            return true;
        }

        if (signal == 0 && !_mayReceive)
        {
            return false;
        }

        nint n = Transfer(buffer, receive: true, out int errno);
        if (n >= 0)
        {
            received = (int)n;
            _mayReceive = n == buffer.Length;
            return true;
        }

        _mayReceive = false;
        if (errno == EAgain)
        {
            return false;
        }

        error = Failure(errno);
        return true;
    }

    private bool TrySend(ReadOnlySpan<byte> buffer, out int sent, out Exception? error)
    {
        sent = 0;
        error = null;
        int signal = Interlocked.Exchange(ref _sendSignal, 0);
        if ((signal & Canceled) != 0)
        {
            _maySend |= (signal & Ready) != 0;
            error = new OperationCanceledException();
            return true;
        }

        if (signal == 0 && !_maySend)
        {
            return false;
        }

        nint n = Transfer(buffer, receive: false, out int errno);
        if (n >= 0)
        {
            sent = (int)n;
            _maySend = n == buffer.Length;
            return n > 0 || buffer.IsEmpty;
        }

        _maySend = false;
        if (errno == EAgain)
        {
            return false;
        }

        error = Failure(errno);
        return true;
    }

    // The handle is held across the call so a concurrent close cannot hand the descriptor number
    // to another file in between.
    private nint Transfer(ReadOnlySpan<byte> buffer, bool receive, out int errno)
    {
        errno = 0;
        bool held = false;
        try
        {
            _handle.DangerousAddRef(ref held);
            fixed (byte* p = buffer)
            {
                nint n = receive
                    ? Recv(_fd, p, buffer.Length, MsgDontWait)
                    : Send(_fd, p, buffer.Length, MsgDontWait | MsgNoSignal);
                if (n < 0)
                {
                    errno = Marshal.GetLastSystemError();
                }

                return n;
            }
        }
        catch (ObjectDisposedException)
        {
            errno = 9; // EBADF: the socket was closed under us.
            return -1;
        }
        finally
        {
            if (held)
            {
                _handle.DangerousRelease();
            }
        }
    }

    private static SocketException Failure(int errno) => new((int)(errno switch
    {
        104 => SocketError.ConnectionReset,
        32 => SocketError.Shutdown,
        110 => SocketError.TimedOut,
        107 => SocketError.NotConnected,
        9 => SocketError.OperationAborted,
        _ => SocketError.SocketError,
    }));
}
