using System.Security.Cryptography;
using System.Text;
using UpsAgent.Protocols.Snmp;

namespace UpsAgent.Servers.Snmp;

/// <summary>
/// Answers one request datagram with one response datagram, or with nothing. v1 and v2c are kept
/// apart as RFC 3584 section 4 has it: a v1 failure fails the PDU (noSuchName with its index and
/// the request varbinds echoed); v2c answers per varbind with noSuchObject, noSuchInstance or
/// endOfMibView. Bad BER, unknown versions and unknown communities are dropped and counted.
/// </summary>
public sealed class SnmpAgent
{
    private readonly UpsMibView _view;
    private readonly SnmpAgentOptions _options;
    private readonly (byte[] Name, SnmpAccess Access)[] _communities;

    public SnmpAgent(UpsMibView view, SnmpAgentOptions options)
    {
        _view = view;
        _options = options;
        _communities = options.Communities.Select(c => (Encoding.UTF8.GetBytes(c.Name), c.Access)).ToArray();
    }

    public SnmpCounters Counters => _view.Counters;

    /// <summary>Writes the response into <paramref name="response"/> and returns its length; 0 means send nothing.</summary>
    public int Handle(ReadOnlySpan<byte> request, Span<byte> response)
    {
        SnmpCounters counters = _view.Counters;
        counters.CountPacket();
        if (!SnmpMessageCodec.TryDecode(request, out SnmpMessage? message, out SnmpDecodeError error))
        {
            if (error == SnmpDecodeError.BadVersion)
            {
                counters.CountBadVersion();
            }
            else
            {
                counters.CountParseError();
            }

            return 0;
        }

        if (FindCommunity(message.Community) is not { } access)
        {
            // RFC 3584 section 5.2.1 / net-snmp: an unknown community gets no answer at all.
            counters.CountBadCommunityName();
            return 0;
        }

        SnmpPdu? answer = message.Pdu.Type switch
        {
            SnmpPduType.GetRequest => Get(message.Version, message.Pdu),
            SnmpPduType.GetNextRequest => GetNext(message.Version, message.Pdu),
            SnmpPduType.GetBulkRequest => GetBulk(message.Pdu),
            SnmpPduType.SetRequest => Set(message.Version, message.Pdu, access),
            _ => null,
        };
        if (answer is null)
        {
            return 0;
        }

        Span<byte> room = response[..Math.Min(response.Length, _options.MaxMessageSize)];
        return Encode(message, answer, room);
    }

    private SnmpAccess? FindCommunity(byte[] community)
    {
        SnmpAccess? found = null;
        foreach ((byte[] name, SnmpAccess access) in _communities)
        {
            // Fixed-time compare so the reply time does not leak how much of a guess was right.
            if (name.Length == community.Length && CryptographicOperations.FixedTimeEquals(name, community))
            {
                found = access;
            }
        }

        return found;
    }

    private SnmpPdu Get(SnmpVersion version, SnmpPdu request)
    {
        MibTree tree = _view.Tree;
        var results = new VarBind[request.VarBinds.Count];
        for (int i = 0; i < results.Length; i++)
        {
            ObjectIdentifier name = request.VarBinds[i].Name;
            SnmpValue value = tree.Get(name);
            if (version == SnmpVersion.V1 && (value.IsException || value.Type == SnmpType.Counter64))
            {
                // RFC 3584 section 4.2.2.1: Counter64 does not exist for a v1 manager.
                return SnmpPdu.Response(request.RequestId, SnmpErrorStatus.NoSuchName, i + 1, request.VarBinds);
            }

            results[i] = new VarBind(name, value);
        }

        return SnmpPdu.Response(request.RequestId, SnmpErrorStatus.NoError, 0, results);
    }

    private SnmpPdu GetNext(SnmpVersion version, SnmpPdu request)
    {
        MibTree tree = _view.Tree;
        Func<SnmpValue, bool>? accept = version == SnmpVersion.V1 ? v => v.Type != SnmpType.Counter64 : null;
        var results = new VarBind[request.VarBinds.Count];
        for (int i = 0; i < results.Length; i++)
        {
            ObjectIdentifier name = request.VarBinds[i].Name;
            if (tree.GetNext(name, accept) is { } next)
            {
                results[i] = next;
            }
            else if (version == SnmpVersion.V1)
            {
                return SnmpPdu.Response(request.RequestId, SnmpErrorStatus.NoSuchName, i + 1, request.VarBinds);
            }
            else
            {
                results[i] = new VarBind(name, SnmpValue.EndOfMibView);
            }
        }

        return SnmpPdu.Response(request.RequestId, SnmpErrorStatus.NoError, 0, results);
    }

    /// <summary>RFC 3416 section 4.2.3: N non-repeaters once, then M rounds over the R repeaters, row by row.</summary>
    private SnmpPdu GetBulk(SnmpPdu request)
    {
        MibTree tree = _view.Tree;
        IReadOnlyList<VarBind> asked = request.VarBinds;
        int nonRepeaters = Math.Clamp(request.NonRepeaters, 0, asked.Count);
        int maxRepetitions = Math.Max(request.MaxRepetitions, 0);
        int repeaters = asked.Count - nonRepeaters;
        int cap = Math.Max(_options.MaxBulkVarBinds, nonRepeaters);
        var results = new List<VarBind>();
        for (int i = 0; i < nonRepeaters; i++)
        {
            results.Add(Next(tree, asked[i].Name));
        }

        var last = new ObjectIdentifier[repeaters];
        for (int j = 0; j < repeaters; j++)
        {
            last[j] = asked[nonRepeaters + j].Name;
        }

        for (int round = 0; round < maxRepetitions && repeaters > 0 && results.Count < cap; round++)
        {
            bool allEnded = true;
            for (int j = 0; j < repeaters && results.Count < cap; j++)
            {
                VarBind next = Next(tree, last[j]);
                allEnded &= next.Value.Type == SnmpType.EndOfMibView;
                last[j] = next.Name;
                results.Add(next);
            }

            // net-snmp stops after the first round in which every repeater ran off the end.
            if (allEnded)
            {
                break;
            }
        }

        return SnmpPdu.Response(request.RequestId, SnmpErrorStatus.NoError, 0, results);

        static VarBind Next(MibTree tree, ObjectIdentifier name) =>
            tree.GetNext(name) ?? new VarBind(name, SnmpValue.EndOfMibView);
    }

    /// <summary>
    /// Nothing is writable yet. As snmpd answers: a read-only community gets noAccess (v2c), a
    /// read-write one notWritable or noCreation; v1 sees all of these as noSuchName (RFC 3584 section 4.3).
    /// </summary>
    private SnmpPdu Set(SnmpVersion version, SnmpPdu request, SnmpAccess access)
    {
        if (request.VarBinds.Count == 0)
        {
            return SnmpPdu.Response(request.RequestId, SnmpErrorStatus.NoError, 0, request.VarBinds);
        }

        SnmpErrorStatus status;
        if (version == SnmpVersion.V1)
        {
            status = SnmpErrorStatus.NoSuchName;
        }
        else if (access == SnmpAccess.ReadOnly)
        {
            _view.Counters.CountBadCommunityUse();
            status = SnmpErrorStatus.NoAccess;
        }
        else
        {
            status = _view.Tree.Get(request.VarBinds[0].Name).IsException ? SnmpErrorStatus.NoCreation : SnmpErrorStatus.NotWritable;
        }

        return SnmpPdu.Response(request.RequestId, status, 1, request.VarBinds);
    }

    /// <summary>
    /// Fits the answer into <paramref name="room"/>: a GetBulk loses trailing varbinds (never tooBig,
    /// RFC 3416 section 4.2.3); anything else becomes tooBig, echoing the request in v1 (RFC 1157
    /// section 4.1.2) and with no varbinds in v2c (RFC 3416 section 4.2.1). If even that does not fit it is dropped.
    /// </summary>
    private int Encode(SnmpMessage request, SnmpPdu answer, Span<byte> room)
    {
        var message = new SnmpMessage(request.Version, request.Community, answer);
        if (SnmpMessageCodec.TryEncode(message, room, out int written))
        {
            return written;
        }

        if (request.Pdu.Type == SnmpPduType.GetBulkRequest)
        {
            int fits = 0;
            int low = 0;
            int high = answer.VarBinds.Count - 1;
            while (low <= high)
            {
                int count = (low + high) / 2;
                var shorter = message with { Pdu = answer with { VarBinds = answer.VarBinds.Take(count).ToList() } };
                if (SnmpMessageCodec.TryEncode(shorter, room, out int length))
                {
                    fits = length;
                    low = count + 1;
                }
                else
                {
                    high = count - 1;
                }
            }

            if (fits > 0)
            {
                // The last probe may have been one that failed; encode the longest fitting count again.
                var best = message with { Pdu = answer with { VarBinds = answer.VarBinds.Take(high).ToList() } };
                if (SnmpMessageCodec.TryEncode(best, room, out int length))
                {
                    return length;
                }
            }
        }
        else
        {
            IReadOnlyList<VarBind> echoed = request.Version == SnmpVersion.V1 ? request.Pdu.VarBinds : [];
            var tooBig = message with { Pdu = SnmpPdu.Response(answer.RequestId, SnmpErrorStatus.TooBig, 0, echoed) };
            if (SnmpMessageCodec.TryEncode(tooBig, room, out int length)
                || SnmpMessageCodec.TryEncode(tooBig with { Pdu = tooBig.Pdu with { VarBinds = [] } }, room, out length))
            {
                return length;
            }
        }

        _view.Counters.CountSilentDrop();
        return 0;
    }
}
