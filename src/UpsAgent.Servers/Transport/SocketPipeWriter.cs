using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace UpsAgent.Servers.Transport;

/// <summary>
/// A PipeWriter straight over a socket channel: replies accumulate in one pooled buffer and go out with a
/// single send per flush (which completes inline when the socket has room, as it nearly always does).
/// </summary>
internal sealed class SocketPipeWriter : PipeWriter
{
    private const int InitialSize = 4096;
    private readonly IStreamChannel _channel;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
    private int _buffered;
    private bool _completed;
    private volatile bool _cancelRequested;

    public SocketPipeWriter(IStreamChannel channel) => _channel = channel;

    public override bool CanGetUnflushedBytes => true;

    public override long UnflushedBytes => _buffered;

    public override void Advance(int bytes)
    {
        if ((uint)bytes > (uint)(_buffer.Length - _buffered))
        {
            throw new ArgumentOutOfRangeException(nameof(bytes), bytes, $"Only {_buffer.Length - _buffered} bytes were handed out.");
        }

        _buffered += bytes;
    }

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsMemory(_buffered);
    }

    public override Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsSpan(_buffered);
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (_buffered > 0 && !_cancelRequested)
        {
            // The usual case: one send takes everything at once.
            ValueTask<int> first = _channel.SendAsync(_buffer.AsMemory(0, _buffered));
            if (first.IsCompletedSuccessfully)
            {
                int sent = first.Result;
                if (sent == _buffered)
                {
                    _buffered = 0;
                    return new ValueTask<FlushResult>(new FlushResult(isCanceled: false, isCompleted: false));
                }

                return SendRestAsync(sent, default, hasStarted: false);
            }

            return SendRestAsync(0, first, hasStarted: true);
        }

        return SendRestAsync(0, default, hasStarted: false);
    }

    // Sends what is left after `sent` bytes, first waiting for a send already started.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<FlushResult> SendRestAsync(int sent, ValueTask<int> started, bool hasStarted)
    {
        try
        {
            if (hasStarted)
            {
                sent += await started.ConfigureAwait(false);
            }

            while (sent < _buffered)
            {
                if (_cancelRequested)
                {
                    _channel.ClearSendCancel();
                    throw new OperationCanceledException();
                }

                sent += await _channel.SendAsync(_buffer.AsMemory(sent, _buffered - sent)).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            _cancelRequested = false;
            Shift(sent);
            return new FlushResult(isCanceled: true, isCompleted: false);
        }
        catch (SocketException ex)
        {
            throw new IOException($"Sending failed: {ex.SocketErrorCode}.", ex);
        }

        _buffered = 0;
        return new FlushResult(isCanceled: false, isCompleted: false);
    }

    public override void CancelPendingFlush()
    {
        _cancelRequested = true;
        _channel.CancelSend();
    }

    public override void Complete(Exception? exception = null) => PooledBuffer.ReturnOnce(ref _buffer, ref _completed);

    private void Reserve(int sizeHint)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        int needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _buffered >= needed)
        {
            return;
        }

        byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _buffered + needed));
        Buffer.BlockCopy(_buffer, 0, larger, 0, _buffered);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }

    private void Shift(int sent)
    {
        Buffer.BlockCopy(_buffer, sent, _buffer, 0, _buffered - sent);
        _buffered -= sent;
    }
}
