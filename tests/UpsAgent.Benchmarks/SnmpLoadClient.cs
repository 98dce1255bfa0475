using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using UpsAgent.Protocols.Snmp;

namespace UpsAgent.Benchmarks;

/// <summary>
/// A UDP load generator for one agent: GETs with several in flight, and bulkwalks. Requests are encoded once
/// and only their request-id octets patched; answers are read with the span-based BER reader, so the client
/// allocates nothing per request and stays well under one core.
/// </summary>
public sealed class SnmpLoadClient : IDisposable
{
    private static readonly byte[] Community = "public"u8.ToArray();
    private static readonly TimeSpan Silence = TimeSpan.FromMilliseconds(200);

    private readonly Socket _socket;
    private readonly byte[] _receive = new byte[65_507];
    private int _nextId = 1;

    public SnmpLoadClient(int port)
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
    }

    /// <summary>GETs of <paramref name="names"/> for <paramref name="duration"/>, <paramref name="depth"/> in flight.</summary>
    public async Task<SnmpRoundResult> GetAsync(IReadOnlyList<ObjectIdentifier> names, int depth, TimeSpan duration, int serverPid)
    {
        var pdu = new SnmpPdu(SnmpPduType.GetRequest, 0x7EADBEEF, 0, 0, names.Select(n => new VarBind(n, SnmpValue.Null)).ToList());
        byte[] request = SnmpMessageCodec.Encode(new SnmpMessage(SnmpVersion.V2c, Community, pdu));
        int idOffset = request.AsSpan().IndexOf((ReadOnlySpan<byte>)[0x02, 0x04, 0x7E, 0xAD, 0xBE, 0xEF]) + 2;
        var sent = new long[1 << 16];
        var histogram = new LatencyHistogram();
        long completed = 0, errors = 0;
        int nextId = 1;
        int inFlight = 0;
        long cpuBefore = ProcStat.CpuTicks(serverPid);
        var clock = Stopwatch.StartNew();
        var window = Stopwatch.StartNew();
        while (true)
        {
            while (inFlight < depth && window.Elapsed < duration)
            {
                int id = nextId++;
                System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(request.AsSpan(idOffset), id);
                sent[id & 0xFFFF] = clock.ElapsedTicks;
                await _socket.SendAsync(request, SocketFlags.None);
                inFlight++;
            }

            if (inFlight == 0)
            {
                break;
            }

            int length = await ReceiveAsync();
            if (length < 0)
            {
                // Lost datagrams (or a stalled server): count them and carry on.
                errors += inFlight;
                inFlight = 0;
                continue;
            }

            if (!TryReadAnswer(_receive.AsSpan(0, length), out int answerId, out int status, out _) || status != 0 || answerId <= 0 || answerId >= nextId)
            {
                errors++;
                continue;
            }

            inFlight--;
            if (window.Elapsed < duration)
            {
                completed++;
                histogram.Record(clock.ElapsedTicks - sent[answerId & 0xFFFF]);
            }
        }

        double seconds = Math.Min(window.Elapsed.TotalSeconds, duration.TotalSeconds);
        return new SnmpRoundResult(completed, completed, seconds, ProcStat.CpuTicks(serverPid) - cpuBefore, errors, histogram);
    }

    /// <summary>Walks every root with GetBulk (v2c, like snmpbulkwalk) one request at a time, over and over, for the duration.</summary>
    public async Task<SnmpRoundResult> BulkWalkAsync(IReadOnlyList<ObjectIdentifier> roots, int maxRepetitions, TimeSpan duration, int serverPid)
    {
        var histogram = new LatencyHistogram();
        long walks = 0, varBinds = 0, errors = 0;
        long cpuBefore = ProcStat.CpuTicks(serverPid);
        var window = Stopwatch.StartNew();
        while (window.Elapsed < duration)
        {
            long start = Stopwatch.GetTimestamp();
            int count = await WalkOnceAsync(roots, maxRepetitions);
            if (count < 0)
            {
                errors++;
                continue;
            }

            walks++;
            varBinds += count;
            histogram.Record(Stopwatch.GetTimestamp() - start);
        }

        return new SnmpRoundResult(walks, varBinds, window.Elapsed.TotalSeconds, ProcStat.CpuTicks(serverPid) - cpuBefore, errors, histogram);
    }

    /// <summary>The objects under the roots, in one sequential GetBulk walk each; -1 when an answer is missing or wrong.</summary>
    public async Task<int> WalkOnceAsync(IReadOnlyList<ObjectIdentifier> roots, int maxRepetitions)
    {
        int count = 0;
        foreach (ObjectIdentifier root in roots)
        {
            ObjectIdentifier last = root;
            while (true)
            {
                int id = _nextId++;
                var pdu = new SnmpPdu(SnmpPduType.GetBulkRequest, id, 0, maxRepetitions, [new VarBind(last, SnmpValue.Null)]);
                byte[] request = SnmpMessageCodec.Encode(new SnmpMessage(SnmpVersion.V2c, Community, pdu));
                await _socket.SendAsync(request, SocketFlags.None);
                int length = await ReceiveAsync();
                if (length < 0 || !SnmpMessageCodec.TryDecode(_receive.AsSpan(0, length), out SnmpMessage? answer, out _) || answer.Pdu.RequestId != id)
                {
                    return -1;
                }

                bool done = answer.Pdu.VarBinds.Count == 0;
                foreach (VarBind varBind in answer.Pdu.VarBinds)
                {
                    if (varBind.Value.Type == SnmpType.EndOfMibView || !varBind.Name.StartsWith(root))
                    {
                        done = true;
                        break;
                    }

                    count++;
                    last = varBind.Name;
                }

                if (done)
                {
                    break;
                }
            }
        }

        return count;
    }

    private async Task<int> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(Silence);
        try
        {
            return await _socket.ReceiveAsync(_receive, SocketFlags.None, timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return -1;
        }
        catch (SocketException)
        {
            // ICMP port unreachable: the server is not listening (yet); no answer this time.
            await Task.Delay(Silence);
            return -1;
        }
    }

    /// <summary>request-id and error-status of a v1/v2c Response, read in place.</summary>
    private static bool TryReadAnswer(ReadOnlySpan<byte> datagram, out int requestId, out int errorStatus, out int errorIndex)
    {
        requestId = errorStatus = errorIndex = 0;
        var outer = new BerReader(datagram);
        if (!outer.TryRead((byte)SnmpType.Sequence, out ReadOnlySpan<byte> body))
        {
            return false;
        }

        var message = new BerReader(body);
        if (!message.TryReadInt32(out _) || !message.TryRead((byte)SnmpType.OctetString, out _) || !message.TryReadTlv(out byte tag, out ReadOnlySpan<byte> pdu) || tag != (byte)SnmpPduType.Response)
        {
            return false;
        }

        var fields = new BerReader(pdu);
        return fields.TryReadInt32(out requestId) && fields.TryReadInt32(out errorStatus) && fields.TryReadInt32(out errorIndex);
    }

    public void Dispose() => _socket.Dispose();
}
