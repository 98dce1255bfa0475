namespace UpsAgent.Servers.Transport;

/// <summary>
/// The byte-moving half of a connected stream socket, below the pipe reader and writer: one
/// receive and one send may be outstanding at a time. A cancel completes the outstanding call (or
/// the next one, if none is outstanding) with <see cref="OperationCanceledException"/>.
/// </summary>
internal interface IStreamChannel : IDisposable
{
    /// <summary>Receives at least one byte, or 0 when the peer has finished sending.</summary>
    ValueTask<int> ReceiveAsync(Memory<byte> buffer);

    void CancelReceive();

    /// <summary>Forgets a cancel that its caller observed by other means before any receive saw it.</summary>
    void ClearReceiveCancel();

    /// <summary>Sends some of <paramref name="buffer"/> and returns how much.</summary>
    ValueTask<int> SendAsync(ReadOnlyMemory<byte> buffer);

    void CancelSend();

    void ClearSendCancel();
}
