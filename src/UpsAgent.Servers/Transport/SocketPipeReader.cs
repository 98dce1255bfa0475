using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace UpsAgent.Servers.Transport;

/// <summary>
/// A PipeReader straight over a socket channel: one pooled buffer, one receive per read, no stream
/// layer in between (the stream-based reader cost about a quarter more CPU per request on loopback).
/// </summary>
internal sealed class SocketPipeReader : PipeReader
{
    private const int InitialSize = 4096;
    private readonly IStreamChannel _channel;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
    private int _start;
    private int _end;
    private bool _examinedAll;
    private bool _peerDone;
    private bool _completed;
    private volatile bool _cancelRequested;

    public SocketPipeReader(IStreamChannel channel) => _channel = channel;

    // A server read waits for every request, so its state machine is pooled, not allocated per wait.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        while (true)
        {
            if (_cancelRequested)
            {
                _cancelRequested = false;
                _channel.ClearReceiveCancel();
                return new ReadResult(Buffered, isCanceled: true, isCompleted: false);
            }

            if ((_end > _start && !_examinedAll) || _peerDone)
            {
                _examinedAll = false;
                return new ReadResult(Buffered, isCanceled: false, isCompleted: _peerDone);
            }

            MakeRoom();
            int received;
            try
            {
                received = cancellationToken.CanBeCanceled
                    ? await ReceiveWithCallerTokenAsync(cancellationToken).ConfigureAwait(false)
                    : await _channel.ReceiveAsync(_buffer.AsMemory(_end)).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // CancelPendingRead: report it once, as pipe readers do.
                _cancelRequested = false;
                return new ReadResult(Buffered, isCanceled: true, isCompleted: false);
            }
            catch (SocketException ex)
            {
                throw new IOException($"Receiving failed: {ex.SocketErrorCode}.", ex);
            }

            if (received == 0)
            {
                _peerDone = true;
            }

            _end += received;
            _examinedAll = false;
        }
    }

    public override bool TryRead(out ReadResult result)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (_cancelRequested)
        {
            _cancelRequested = false;
            _channel.ClearReceiveCancel();
            result = new ReadResult(Buffered, isCanceled: true, isCompleted: false);
            return true;
        }

        if ((_end > _start && !_examinedAll) || _peerDone)
        {
            result = new ReadResult(Buffered, isCanceled: false, isCompleted: _peerDone);
            return true;
        }

        result = default;
        return false;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        int consumedIndex = consumed.GetObject() is null ? _start : consumed.GetInteger();
        int examinedIndex = examined.GetObject() is null ? _start : examined.GetInteger();
        if (consumedIndex < _start || consumedIndex > _end || examinedIndex < consumedIndex || examinedIndex > _end)
        {
            throw new InvalidOperationException(
                $"Positions {consumedIndex}/{examinedIndex} are outside the buffered range {_start}..{_end}.");
        }

        _start = consumedIndex;
        _examinedAll = examinedIndex == _end;
        if (_start == _end)
        {
            _start = _end = 0;
        }
    }

    public override void CancelPendingRead()
    {
        _cancelRequested = true;
        _channel.CancelReceive();
    }

    public override void Complete(Exception? exception = null) => PooledBuffer.ReturnOnce(ref _buffer, ref _completed);

    private ReadOnlySequence<byte> Buffered => new(_buffer, _start, _end - _start);

    private async ValueTask<int> ReceiveWithCallerTokenAsync(CancellationToken caller)
    {
        using CancellationTokenRegistration registration = caller.UnsafeRegister(
            static c => ((IStreamChannel)c!).CancelReceive(), _channel);
        try
        {
            return await _channel.ReceiveAsync(_buffer.AsMemory(_end)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (caller.IsCancellationRequested)
        {
            throw new OperationCanceledException(caller);
        }
    }

    // Keeps unconsumed bytes and makes space after them; grows only when a caller keeps a full buffer.
    private void MakeRoom()
    {
        if (_end < _buffer.Length)
        {
            return;
        }

        int unconsumed = _end - _start;
        byte[] target = unconsumed > _buffer.Length / 2 ? ArrayPool<byte>.Shared.Rent(_buffer.Length * 2) : _buffer;
        Buffer.BlockCopy(_buffer, _start, target, 0, unconsumed);
        if (!ReferenceEquals(target, _buffer))
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = target;
        }

        _start = 0;
        _end = unconsumed;
    }
}
