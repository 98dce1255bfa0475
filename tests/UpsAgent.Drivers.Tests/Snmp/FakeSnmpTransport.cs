using System.Threading.Channels;
using UpsAgent.Drivers.Snmp;

namespace UpsAgent.Drivers.Tests.Snmp;

/// <summary>Datagrams handed straight to a <see cref="FakeSnmpCard"/>; its answers queue up for the next receive.</summary>
internal sealed class FakeSnmpTransport(FakeSnmpCard card) : ISnmpTransport
{
    private readonly Channel<byte[]> _answers = Channel.CreateUnbounded<byte[]>();

    public string Peer => "fake-card:161";

    public int Sent { get; private set; }

    public bool Disposed { get; private set; }

    /// <summary>Queues a datagram as if it had arrived before the answer (a late reply, garbage).</summary>
    public void Inject(byte[] datagram) => _answers.Writer.TryWrite(datagram);

    public ValueTask SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken)
    {
        Sent++;
        if (card.Answer(datagram.Span) is { } answer)
        {
            _answers.Writer.TryWrite(answer);
        }

        return ValueTask.CompletedTask;
    }

    public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        byte[] datagram = await _answers.Reader.ReadAsync(cancellationToken);
        datagram.CopyTo(buffer);
        return datagram.Length;
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }
}
