using System.Buffers.Binary;
using UpsAgent.Protocols.Snmp;

namespace UpsAgent.Servers.Snmp;

/// <summary>
/// SNMPv3 with the User-based Security Model, in RFC 3414 section 3.2's order of checks: engine ID
/// (discovery), user, security level, MAC, time window, decryption. Each failure counts its usmStats
/// counter and, when the request is reportable, is answered with a Report carrying that counter as
/// snmpd does: unauthenticated, except notInTimeWindow, which is authenticated with the user's key
/// (RFC 3414 section 3.2 step 7a) so the manager can trust the boots and time in it. An
/// unauthenticated answer is never larger than the datagram that asked for it, so the agent cannot
/// be used to amplify spoofed traffic; the one exception is the discovery Report every v3 manager
/// needs, which is a bounded ~110 octets.
/// </summary>
public sealed partial class SnmpAgent
{
    /// <summary>RFC 3414 section 2.2.3: a message is outside the window when its time is more than 150 s off.</summary>
    public const int TimeWindowSeconds = 150;

    private readonly (UsmUser User, SnmpAccess Access)[] _users;
    private long _salt;

    private int HandleV3(ReadOnlySpan<byte> datagram, Span<byte> response)
    {
        SnmpCounters counters = _view.Counters;
        if (!SnmpV3MessageCodec.TryDecode(datagram, out SnmpV3Message? message, out SnmpDecodeError error))
        {
            switch (error)
            {
                case SnmpDecodeError.UnknownSecurityModel:
                    counters.CountUnknownSecurityModel();
                    break;
                case SnmpDecodeError.InvalidMessage:
                    counters.CountInvalidMessage();
                    break;
                default:
                    counters.CountParseError();
                    break;
            }

            return 0;
        }

        if (message.ScopedPdu is { } clear && !IsRequest(clear.Pdu.Type))
        {
            counters.CountUnknownPduHandler();
            return 0;
        }

        UsmSecurityParameters security = message.Security;
        int requestId = message.ScopedPdu?.Pdu.RequestId ?? 0;
        if (!security.EngineId.AsSpan().SequenceEqual(_options.EngineId))
        {
            return Report(message, requestId, 4, counters.CountUnknownEngineId(), null, response, int.MaxValue);
        }

        (UsmUser User, SnmpAccess Access)? found = FindUser(security.UserName);
        if (found is not { } account)
        {
            return Report(message, requestId, 3, counters.CountUnknownUserName(), null, response, datagram.Length);
        }

        UsmUser user = account.User;
        SnmpV3Flags level = message.Flags & (SnmpV3Flags.Auth | SnmpV3Flags.Priv);
        if ((level & ~user.Level) != 0)
        {
            return Report(message, requestId, 1, counters.CountUnsupportedSecLevel(), null, response, datagram.Length);
        }

        if (message.IsAuthenticated)
        {
            if (!SnmpV3MessageCodec.Authenticate(datagram, message, user))
            {
                return Report(message, requestId, 5, counters.CountWrongDigest(), null, response, datagram.Length);
            }

            if (!InTimeWindow(security))
            {
                return Report(message, requestId, 2, counters.CountNotInTimeWindow(), user, response, int.MaxValue);
            }
        }

        ScopedPdu? scoped = message.ScopedPdu;
        if (message.IsEncrypted && !SnmpV3MessageCodec.TryDecrypt(message, user, out scoped))
        {
            return Report(message, requestId, 6, counters.CountDecryptionError(), null, response, datagram.Length);
        }

        if (scoped is null || !IsRequest(scoped.Pdu.Type))
        {
            counters.CountUnknownPduHandler();
            return 0;
        }

        Span<byte> room = response[..Math.Min(response.Length, Math.Min(_options.MaxMessageSize, message.MaxSize))];
        if (scoped.ContextName.Length != 0)
        {
            // Only the default context exists here (NUT and net-snmp send none).
            SnmpPdu unknown = new(SnmpPduType.Report, scoped.Pdu.RequestId, 0, 0,
                [new VarBind(UpsMibOids.SnmpUnknownContextsInstance, SnmpValue.Counter32(counters.CountUnknownContext()))]);
            return message.IsReportable && EncodeV3(message, unknown, level, user, scoped.ContextName, room, out int reportLength)
                && (level != SnmpV3Flags.None || reportLength <= datagram.Length) ? reportLength : 0;
        }

        if (level == SnmpV3Flags.None)
        {
            // Every user has a key, so an unauthenticated request is outside every user's access (VACM, RFC 3415).
            SnmpPdu refused = SnmpPdu.Response(scoped.Pdu.RequestId, SnmpErrorStatus.AuthorizationError, 0, scoped.Pdu.VarBinds);
            return EncodeV3(message, refused, level, null, scoped.ContextName, room, out int refusedLength) && refusedLength <= datagram.Length ? refusedLength : 0;
        }

        SnmpPdu? answer = Dispatch(SnmpVersion.V3, scoped.Pdu, account.Access, community: false);
        if (answer is null)
        {
            return 0;
        }

        return Fit(scoped.Pdu, v1: false, answer, room,
            (SnmpPdu pdu, Span<byte> space, out int written) => EncodeV3(message, pdu, level, user, scoped.ContextName, space, out written));
    }

    private static bool IsRequest(SnmpPduType type) =>
        type is SnmpPduType.GetRequest or SnmpPduType.GetNextRequest or SnmpPduType.GetBulkRequest or SnmpPduType.SetRequest;

    private (UsmUser User, SnmpAccess Access)? FindUser(byte[] name)
    {
        foreach ((UsmUser User, SnmpAccess Access) account in _users)
        {
            if (account.User.Name.AsSpan().SequenceEqual(name))
            {
                return account;
            }
        }

        return null;
    }

    /// <summary>RFC 3414 section 3.2 step 7b: same boots, time within 150 s, and boots not latched at its maximum.</summary>
    private bool InTimeWindow(UsmSecurityParameters security) =>
        _options.EngineBoots != int.MaxValue
        && security.EngineBoots == _options.EngineBoots
        && Math.Abs((long)security.EngineTime - _view.EngineTime) <= TimeWindowSeconds;

    /// <summary>A Report with one usmStats counter (RFC 3414 section 3.2), if the request asked for reports.</summary>
    /// <param name="limit">The most octets the Report may have: the request's own length when it is unauthenticated.</param>
    private int Report(SnmpV3Message request, int requestId, uint usmStat, uint value, UsmUser? authenticatedAs, Span<byte> response, int limit)
    {
        if (!request.IsReportable)
        {
            return 0;
        }

        var pdu = new SnmpPdu(SnmpPduType.Report, requestId, 0, 0, [new VarBind(UpsMibOids.UsmStat(usmStat), SnmpValue.Counter32(value))]);
        SnmpV3Flags level = authenticatedAs is null ? SnmpV3Flags.None : SnmpV3Flags.Auth;
        Span<byte> room = response[..Math.Min(response.Length, Math.Min(_options.MaxMessageSize, request.MaxSize))];
        if (!EncodeV3(request, pdu, level, authenticatedAs, [], room, out int written))
        {
            return 0;
        }

        if (written > limit)
        {
            _view.Counters.CountSilentDrop();
            return 0;
        }

        return written;
    }

    /// <summary>
    /// The agent is the authoritative engine for its answers: its engine ID, boots and time go in
    /// the USM header, the request's msgID and user name are echoed, and a fresh salt is used for privacy.
    /// </summary>
    private bool EncodeV3(SnmpV3Message request, SnmpPdu pdu, SnmpV3Flags level, UsmUser? user, byte[] contextName, Span<byte> room, out int written)
    {
        byte[] salt = [];
        if ((level & SnmpV3Flags.Priv) != 0)
        {
            // RFC 3826 section 3.1.2.1: a 64-bit counter, never the same salt twice under one key.
            salt = new byte[UsmPrivacy.SaltLength];
            BinaryPrimitives.WriteInt64BigEndian(salt, Interlocked.Increment(ref _salt));
        }

        var security = new UsmSecurityParameters(_options.EngineId, _options.EngineBoots, _view.EngineTime, request.Security.UserName, [], salt);
        var answer = new SnmpV3Message(request.MessageId, Math.Max(SnmpV3MessageCodec.MinMaxSize, _options.MaxMessageSize), level, security,
            new ScopedPdu(_options.EngineId, contextName, pdu), null);
        return SnmpV3MessageCodec.TryEncodeSecured(answer, user, room, out written);
    }
}
