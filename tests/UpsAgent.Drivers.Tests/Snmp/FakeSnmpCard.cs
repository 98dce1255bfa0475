using System.Text;
using UpsAgent.Protocols.Snmp;

namespace UpsAgent.Drivers.Tests.Snmp;

/// <summary>
/// An in-memory SNMP agent over a sorted object table: v1 and v2c GET, GETNEXT and GETBULK with
/// the RFC 3584 differences (noSuchName vs per-varbind exceptions). It can be made silent, and
/// answers tooBig above a varbind count, so the manager's retry and split paths run without UDP.
/// </summary>
internal sealed class FakeSnmpCard
{
    private readonly object _gate = new();
    private readonly SortedDictionary<ObjectIdentifier, SnmpValue> _objects = [];

    public FakeSnmpCard(string community = "public") => Community = community;

    public string Community { get; }

    public bool Silent { get; set; }

    /// <summary>A GET with more varbinds than this is answered tooBig.</summary>
    public int MaxVarBinds { get; set; } = int.MaxValue;

    public int Requests { get; private set; }

    public List<SnmpPdu> Received { get; } = [];

    public FakeSnmpCard Set(string oid, SnmpValue value)
    {
        lock (_gate)
        {
            _objects[ObjectIdentifier.Parse(oid)] = value;
        }

        return this;
    }

    public FakeSnmpCard Set(string oid, int value) => Set(oid, SnmpValue.Integer(value));

    public FakeSnmpCard Set(string oid, string value) => Set(oid, SnmpValue.OctetString(value));

    public void Remove(string oid)
    {
        lock (_gate)
        {
            _objects.Remove(ObjectIdentifier.Parse(oid));
        }
    }

    /// <summary>The answer datagram, or null for none (silent, bad community, undecodable).</summary>
    public byte[]? Answer(ReadOnlySpan<byte> datagram)
    {
        lock (_gate)
        {
            Requests++;
            if (Silent
                || !SnmpMessageCodec.TryDecode(datagram, out SnmpMessage? request, out _)
                || Encoding.UTF8.GetString(request.Community) != Community)
            {
                return null;
            }

            Received.Add(request.Pdu);
            SnmpPdu pdu = request.Pdu;
            bool v1 = request.Version == SnmpVersion.V1;
            SnmpPdu answer = pdu.Type switch
            {
                SnmpPduType.GetRequest when pdu.VarBinds.Count > MaxVarBinds => SnmpPdu.Response(pdu.RequestId, SnmpErrorStatus.TooBig, 0, []),
                SnmpPduType.GetRequest => Get(pdu, v1),
                SnmpPduType.GetNextRequest => GetNext(pdu, v1),
                SnmpPduType.GetBulkRequest => GetBulk(pdu),
                _ => SnmpPdu.Response(pdu.RequestId, SnmpErrorStatus.GenErr, 0, pdu.VarBinds),
            };
            return SnmpMessageCodec.Encode(request with { Pdu = answer });
        }
    }

    private SnmpPdu Get(SnmpPdu pdu, bool v1)
    {
        var results = new List<VarBind>();
        for (int i = 0; i < pdu.VarBinds.Count; i++)
        {
            ObjectIdentifier name = pdu.VarBinds[i].Name;
            if (_objects.TryGetValue(name, out SnmpValue value))
            {
                results.Add(new VarBind(name, value));
            }
            else if (v1)
            {
                return SnmpPdu.Response(pdu.RequestId, SnmpErrorStatus.NoSuchName, i + 1, pdu.VarBinds);
            }
            else
            {
                results.Add(new VarBind(name, SnmpValue.NoSuchObject));
            }
        }

        return SnmpPdu.Response(pdu.RequestId, SnmpErrorStatus.NoError, 0, results);
    }

    private SnmpPdu GetNext(SnmpPdu pdu, bool v1)
    {
        var results = new List<VarBind>();
        for (int i = 0; i < pdu.VarBinds.Count; i++)
        {
            if (Next(pdu.VarBinds[i].Name) is { } next)
            {
                results.Add(next);
            }
            else if (v1)
            {
                return SnmpPdu.Response(pdu.RequestId, SnmpErrorStatus.NoSuchName, i + 1, pdu.VarBinds);
            }
            else
            {
                results.Add(new VarBind(pdu.VarBinds[i].Name, SnmpValue.EndOfMibView));
            }
        }

        return SnmpPdu.Response(pdu.RequestId, SnmpErrorStatus.NoError, 0, results);
    }

    private SnmpPdu GetBulk(SnmpPdu pdu)
    {
        var results = new List<VarBind>();
        ObjectIdentifier last = pdu.VarBinds[0].Name;
        for (int i = 0; i < pdu.MaxRepetitions; i++)
        {
            VarBind next = Next(last) ?? new VarBind(last, SnmpValue.EndOfMibView);
            results.Add(next);
            if (next.Value.Type == SnmpType.EndOfMibView)
            {
                break;
            }

            last = next.Name;
        }

        return SnmpPdu.Response(pdu.RequestId, SnmpErrorStatus.NoError, 0, results);
    }

    private VarBind? Next(ObjectIdentifier name)
    {
        foreach ((ObjectIdentifier oid, SnmpValue value) in _objects)
        {
            if (oid.CompareTo(name) > 0)
            {
                return new VarBind(oid, value);
            }
        }

        return null;
    }
}
