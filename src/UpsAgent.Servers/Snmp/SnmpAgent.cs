using System.Net;
using System.Security.Cryptography;
using System.Text;
using UpsAgent.Core.Commands;
using UpsAgent.Core.State;
using UpsAgent.Protocols.Snmp;

namespace UpsAgent.Servers.Snmp;

/// <summary>
/// Answers one request datagram with one response datagram, or with nothing. v1 and v2c are kept
/// apart as RFC 3584 section 4 has it: a v1 failure fails the PDU (noSuchName with its index and
/// the request varbinds echoed); v2c answers per varbind with noSuchObject, noSuchInstance or
/// endOfMibView. v3 messages go through USM first (<c>SnmpAgent.V3.cs</c>). Bad BER, unknown
/// versions and unknown communities are dropped and counted.
/// </summary>
public sealed partial class SnmpAgent
{
    /// <summary>How long a SET waits for the driver before answering commitFailed.</summary>
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(10);

    private readonly UpsMibView _view;
    private readonly SnmpAgentOptions _options;
    private readonly (byte[] Name, SnmpCommunity Community)[] _communities;

    public SnmpAgent(UpsMibView view, SnmpAgentOptions options)
    {
        _view = view;
        _options = options;
        _communities = options.Communities.Select(c => (Encoding.UTF8.GetBytes(c.Name), c)).ToArray();
        _users = options.Users
            .Select(u => (UsmUser.FromPasswords(u.Name, u.AuthProtocol, u.AuthPassword, u.PrivProtocol, u.PrivPassword, options.EngineId), u.Access))
            .ToArray();
        _salt = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8));
    }

    private delegate bool AnswerEncoder(SnmpPdu answer, Span<byte> room, out int written);

    public SnmpCounters Counters => _view.Counters;

    /// <summary>Answers as to a loopback source; see the other overload.</summary>
    public int Handle(ReadOnlySpan<byte> request, Span<byte> response) => Handle(request, response, IPAddress.Loopback);

    /// <summary>Writes the response into <paramref name="response"/> and returns its length; 0 means send nothing.</summary>
    public int Handle(ReadOnlySpan<byte> request, Span<byte> response, IPAddress source)
    {
        SnmpCounters counters = _view.Counters;
        counters.CountPacket();
        if (IsVersion3(request))
        {
            return HandleV3(request, response);
        }

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

        if (FindCommunity(message.Community, source) is not { } access)
        {
            // RFC 3584 section 5.2.1 / net-snmp: an unknown community (or one not good from this source) gets no answer at all.
            counters.CountBadCommunityName();
            return 0;
        }

        if (Dispatch(message.Version, message.Pdu, access, community: true) is not { } answer)
        {
            return 0;
        }

        Span<byte> room = response[..Math.Min(response.Length, _options.MaxMessageSize)];
        return Fit(message.Pdu, message.Version == SnmpVersion.V1, answer, room,
            (SnmpPdu pdu, Span<byte> space, out int written) => SnmpMessageCodec.TryEncode(message with { Pdu = pdu }, space, out written));
    }

    private static bool IsVersion3(ReadOnlySpan<byte> request)
    {
        var outer = new BerReader(request);
        if (!outer.TryRead((byte)SnmpType.Sequence, out ReadOnlySpan<byte> body))
        {
            return false;
        }

        var reader = new BerReader(body);
        return reader.TryReadInt32(out int version) && version == (int)SnmpVersion.V3;
    }

    private SnmpAccess? FindCommunity(byte[] community, IPAddress source)
    {
        SnmpAccess? found = null;
        foreach ((byte[] name, SnmpCommunity configured) in _communities)
        {
            // Fixed-time compare so the reply time does not leak how much of a guess was right.
            if (name.Length == community.Length && CryptographicOperations.FixedTimeEquals(name, community) && configured.Allows(source))
            {
                found = found == SnmpAccess.ReadWrite ? found : configured.Access;
            }
        }

        return found;
    }

    /// <summary>The request PDUs an agent serves; v3 requests use the v2 semantics (RFC 3416).</summary>
    private SnmpPdu? Dispatch(SnmpVersion version, SnmpPdu pdu, SnmpAccess access, bool community) => pdu.Type switch
    {
        SnmpPduType.GetRequest => Get(version, pdu),
        SnmpPduType.GetNextRequest => GetNext(version, pdu),
        SnmpPduType.GetBulkRequest => GetBulk(pdu),
        SnmpPduType.SetRequest => Set(version, pdu, access, community),
        _ => null,
    };

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
    /// All or nothing (RFC 3416 section 4.2.5): every varbind is checked first (access, writable
    /// object, type, value, and that the UPS offers the variable or command), then each is carried
    /// out through the UPS's command target. As snmpd answers: a read-only community or user gets
    /// noAccess, a read-only object notWritable, a missing one noCreation; v1 sees these through
    /// RFC 3584 section 4.4 (noSuchName, badValue, genErr).
    /// </summary>
    private SnmpPdu Set(SnmpVersion version, SnmpPdu request, SnmpAccess access, bool community)
    {
        IReadOnlyList<VarBind> asked = request.VarBinds;
        if (asked.Count == 0)
        {
            return SnmpPdu.Response(request.RequestId, SnmpErrorStatus.NoError, 0, asked);
        }

        if (access == SnmpAccess.ReadOnly)
        {
            if (community)
            {
                _view.Counters.CountBadCommunityUse();
            }

            return Refuse(SnmpErrorStatus.NoAccess, 1);
        }

        MibTree tree = _view.Tree;
        UpsState state = _view.Unit.Current;
        var writes = new UpsMibWrite[asked.Count];
        for (int i = 0; i < asked.Count; i++)
        {
            Func<SnmpValue, UpsMibWrite>? convert = tree.Find(asked[i].Name)?.Write ?? UpsMibMap.Find(asked[i].Name)?.Write;
            if (convert is null)
            {
                return Refuse(tree.Get(asked[i].Name).Type == SnmpType.NoSuchObject ? SnmpErrorStatus.NoCreation : SnmpErrorStatus.NotWritable, i + 1);
            }

            UpsMibWrite write = convert(asked[i].Value);
            SnmpErrorStatus problem = write.Error != SnmpErrorStatus.NoError ? write.Error : Check(state, write);
            if (problem != SnmpErrorStatus.NoError)
            {
                return Refuse(problem, i + 1);
            }

            writes[i] = write;
        }

        for (int i = 0; i < writes.Length; i++)
        {
            if (Commit(writes[i]) != CommandOutcome.Success)
            {
                return Refuse(SnmpErrorStatus.CommitFailed, i + 1);
            }
        }

        return SnmpPdu.Response(request.RequestId, SnmpErrorStatus.NoError, 0, asked);

        SnmpPdu Refuse(SnmpErrorStatus status, int index) =>
            SnmpPdu.Response(request.RequestId, version == SnmpVersion.V1 ? ToV1(status) : status, index, asked);
    }

    /// <summary>What upsd would refuse: a variable the UPS does not have or marks read-only, a value outside its ENUM/RANGE, a command it does not offer.</summary>
    private static SnmpErrorStatus Check(UpsState state, UpsMibWrite write)
    {
        if (write.Variable is { } name)
        {
            if (state.Find(name) is not { IsWritable: true } variable)
            {
                return SnmpErrorStatus.NotWritable;
            }

            return variable.Validate(write.Value!) switch
            {
                SetValidation.Accepted => SnmpErrorStatus.NoError,
                SetValidation.TooLong => SnmpErrorStatus.WrongLength,
                SetValidation.ReadOnly => SnmpErrorStatus.NotWritable,
                _ => SnmpErrorStatus.WrongValue,
            };
        }

        return state.HasCommand(write.Command!) ? SnmpErrorStatus.NoError : SnmpErrorStatus.InconsistentValue;
    }

    private CommandOutcome Commit(UpsMibWrite write)
    {
        IUpsCommandTarget target = _view.Unit.Commands;
        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            ValueTask<CommandOutcome> pending = write.Variable is { } name
                ? target.SetVariableAsync(name, write.Value!, timeout.Token)
                : target.RunInstantCommandAsync(write.Command!, write.Value, timeout.Token);

            // Sets are rare and the answer must say whether the UPS took it, so wait here (bounded).
            return pending.IsCompleted ? pending.Result : pending.AsTask().Wait(CommandTimeout) ? pending.Result : CommandOutcome.Failed;
        }
        catch (Exception)
        {
            // The driver link failing is the UPS refusing the change, on the wire commitFailed (RFC 3416 section 4.2.5).
            return CommandOutcome.Failed;
        }
    }

    /// <summary>RFC 3584 section 4.4: how a v2 error-status reaches a v1 manager.</summary>
    private static SnmpErrorStatus ToV1(SnmpErrorStatus status) => status switch
    {
        SnmpErrorStatus.WrongType or SnmpErrorStatus.WrongLength or SnmpErrorStatus.WrongEncoding
            or SnmpErrorStatus.WrongValue or SnmpErrorStatus.InconsistentValue => SnmpErrorStatus.BadValue,
        SnmpErrorStatus.NoAccess or SnmpErrorStatus.NotWritable or SnmpErrorStatus.NoCreation
            or SnmpErrorStatus.InconsistentName or SnmpErrorStatus.AuthorizationError => SnmpErrorStatus.NoSuchName,
        SnmpErrorStatus.ResourceUnavailable or SnmpErrorStatus.CommitFailed or SnmpErrorStatus.UndoFailed => SnmpErrorStatus.GenErr,
        _ => status,
    };

    /// <summary>
    /// Fits the answer into <paramref name="room"/>: a GetBulk loses trailing varbinds (never tooBig,
    /// RFC 3416 section 4.2.3); anything else becomes tooBig, echoing the request in v1 (RFC 1157
    /// section 4.1.2) and with no varbinds in v2c (RFC 3416 section 4.2.1). If even that does not fit it is dropped.
    /// </summary>
    private int Fit(SnmpPdu request, bool v1, SnmpPdu answer, Span<byte> room, AnswerEncoder encode)
    {
        if (encode(answer, room, out int written))
        {
            return written;
        }

        if (request.Type == SnmpPduType.GetBulkRequest)
        {
            int low = 0;
            int high = answer.VarBinds.Count - 1;
            while (low <= high)
            {
                int count = (low + high) / 2;
                if (encode(answer with { VarBinds = answer.VarBinds.Take(count).ToList() }, room, out _))
                {
                    low = count + 1;
                }
                else
                {
                    high = count - 1;
                }
            }

            if (high >= 0 && encode(answer with { VarBinds = answer.VarBinds.Take(high).ToList() }, room, out int length))
            {
                return length;
            }
        }
        else
        {
            IReadOnlyList<VarBind> echoed = v1 ? request.VarBinds : [];
            SnmpPdu tooBig = SnmpPdu.Response(answer.RequestId, SnmpErrorStatus.TooBig, 0, echoed);
            if (encode(tooBig, room, out int length) || encode(tooBig with { VarBinds = [] }, room, out length))
            {
                return length;
            }
        }

        _view.Counters.CountSilentDrop();
        return 0;
    }
}
