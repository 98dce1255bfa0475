using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using UpsAgent.Protocols.Snmp;

namespace UpsAgent.Drivers.Snmp;

/// <summary>
/// SNMPv3 with USM from the manager's side (RFC 3414 section 4): the first request goes out as a
/// discovery probe, whose usmStatsUnknownEngineIDs Report names the agent's engine ID, boots and
/// time; the request is then encoded again with keys localised to that engine. A
/// usmStatsNotInTimeWindows Report (authenticated) resets the clock and the request is resent; the
/// other usmStats Reports (unknown user, wrong digest, decryption error, level) refuse for good.
/// </summary>
public sealed class UsmMessageModel : ISnmpMessageModel
{
    private const int MaxDatagram = 65_507;

    private static readonly ObjectIdentifier UsmStats = ObjectIdentifier.Parse("1.3.6.1.6.3.15.1.1");

    private readonly SnmpV3Settings _settings;
    private readonly byte[] _userName;
    private readonly byte[] _context;
    private readonly Stopwatch _sinceSync = new();
    private byte[]? _engineId;
    private int _engineBoots;
    private int _engineTime;
    private UsmUser? _user;
    private int _messageId = Random.Shared.Next(1, 1 << 30);
    private ulong _salt = unchecked((ulong)Random.Shared.NextInt64());

    public UsmMessageModel(SnmpV3Settings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.PrivProtocol != UsmPrivProtocol.None && settings.AuthProtocol == UsmAuthProtocol.None)
        {
            throw new ArgumentException("SNMPv3 privacy needs authentication (RFC 3414 section 3.1.1)", nameof(settings));
        }

        foreach ((UsmAuthProtocol _, string? password, string what) in new[]
        {
            (settings.AuthProtocol, settings.AuthPassword, "authentication"),
            (settings.PrivProtocol == UsmPrivProtocol.None ? UsmAuthProtocol.None : settings.AuthProtocol, settings.PrivPassword, "privacy"),
        }.Where(p => p.Item1 != UsmAuthProtocol.None))
        {
            if (password is null || password.Length < UsmKeys.MinimumPasswordLength)
            {
                throw new ArgumentException($"the {what} pass phrase needs at least {UsmKeys.MinimumPasswordLength} characters (RFC 3414 section 11.2, as net-snmp)", nameof(settings));
            }
        }

        _settings = settings;
        _userName = Encoding.UTF8.GetBytes(settings.UserName);
        _context = Encoding.UTF8.GetBytes(settings.Context);
        if (_userName.Length is 0 or > SnmpV3MessageCodec.MaxUserNameLength)
        {
            throw new ArgumentException($"an SNMPv3 user name has 1 to {SnmpV3MessageCodec.MaxUserNameLength} octets", nameof(settings));
        }
    }

    public SnmpVersion Version => SnmpVersion.V3;

    /// <summary>The agent's snmpEngineID once discovered.</summary>
    public ReadOnlyMemory<byte> EngineId => _engineId;

    private int LastMessageId { get; set; }

    public byte[] Encode(SnmpPdu request)
    {
        LastMessageId = _messageId;
        _messageId = _messageId == int.MaxValue ? 1 : _messageId + 1;
        SnmpV3Message message;
        if (_engineId is null || _user is null)
        {
            // RFC 3414 section 4: an unauthenticated, reportable request with no varbinds.
            message = new SnmpV3Message(LastMessageId, MaxDatagram, SnmpV3Flags.Reportable, UsmSecurityParameters.Discovery,
                new ScopedPdu([], [], request with { VarBinds = [] }), null);
        }
        else
        {
            byte[] salt = [];
            if (_user.PrivProtocol != UsmPrivProtocol.None)
            {
                salt = new byte[UsmPrivacy.SaltLength];
                BinaryPrimitives.WriteUInt64BigEndian(salt, _salt++);
            }

            var security = new UsmSecurityParameters(_engineId, _engineBoots, EngineTimeNow, _userName, [], salt);
            message = new SnmpV3Message(LastMessageId, MaxDatagram, _user.Level | SnmpV3Flags.Reportable, security,
                new ScopedPdu(_engineId, _context, request), null);
        }

        byte[] buffer = new byte[MaxDatagram];
        return SnmpV3MessageCodec.TryEncodeSecured(message, _user, buffer, out int written)
            ? buffer[..written]
            : throw new ArgumentException($"a request with {request.VarBinds.Count} varbinds does not fit one datagram", nameof(request));
    }

    public SnmpReceipt Decode(ReadOnlySpan<byte> datagram, int requestId)
    {
        if (!SnmpV3MessageCodec.TryDecode(datagram, out SnmpV3Message? message, out _) || message.MessageId != LastMessageId)
        {
            return SnmpReceipt.Unrelated;
        }

        ScopedPdu? scoped = message.ScopedPdu;
        if (message.IsAuthenticated)
        {
            // Only our user's MAC counts; anything else could be forged, so it is not an answer.
            if (_user is null || !SnmpV3MessageCodec.Authenticate(datagram, message, _user))
            {
                return SnmpReceipt.Unrelated;
            }

            Sync(message.Security);
            if (message.IsEncrypted && !SnmpV3MessageCodec.TryDecrypt(message, _user, out scoped))
            {
                return SnmpReceipt.Unrelated;
            }
        }

        if (scoped is null)
        {
            return SnmpReceipt.Unrelated;
        }

        SnmpPdu pdu = scoped.Pdu;
        if (pdu.Type == SnmpPduType.Report)
        {
            return Report(message, pdu);
        }

        return pdu.Type == SnmpPduType.Response && pdu.RequestId == requestId
            ? new SnmpReceipt(SnmpReceiptKind.Response, pdu)
            : SnmpReceipt.Unrelated;
    }

    private SnmpReceipt Report(SnmpV3Message message, SnmpPdu report)
    {
        ObjectIdentifier? counter = report.VarBinds.Count > 0 ? report.VarBinds[0].Name : null;
        uint which = counter is { Length: 11 } && counter.StartsWith(UsmStats) ? counter[9] : 0;
        switch (which)
        {
            case 4 when message.Security.EngineId.Length > 0:
                // usmStatsUnknownEngineIDs: discovery's answer. Keys are localised to this engine.
                byte[] engineId = message.Security.EngineId;
                bool known = _engineId is not null && _engineId.AsSpan().SequenceEqual(engineId);
                if (!known)
                {
                    _engineId = engineId;
                    _user = UsmUser.FromPasswords(_settings.UserName, _settings.AuthProtocol, _settings.AuthPassword, _settings.PrivProtocol, _settings.PrivPassword, engineId);
                }

                SetClock(message.Security);
                return known && _user is not null
                    ? new SnmpReceipt(SnmpReceiptKind.Refused, null, "the agent does not know its own engine ID (usmStatsUnknownEngineIDs)")
                    : new SnmpReceipt(SnmpReceiptKind.Resend);
            case 2 when message.IsAuthenticated:
                // usmStatsNotInTimeWindows, authenticated as RFC 3414 section 3.2 step 7a requires; Sync took its clock.
                return new SnmpReceipt(SnmpReceiptKind.Resend);
            case 1:
                return Refused($"the user '{_settings.UserName}' may not use {_settings.Level} (usmStatsUnsupportedSecLevels)");
            case 3:
                return Refused($"unknown user name '{_settings.UserName}' (usmStatsUnknownUserNames)");
            case 5:
                return Refused("authentication failure: wrong authentication pass phrase or protocol (usmStatsWrongDigests)");
            case 6:
                return Refused("decryption error: wrong privacy pass phrase or protocol (usmStatsDecryptionErrors)");
            default:
                return Refused($"Report {counter?.ToString() ?? "without varbinds"}");
        }

        static SnmpReceipt Refused(string problem) => new(SnmpReceiptKind.Refused, null, problem);
    }

    /// <summary>RFC 3414 section 3.2 step 7b: a later boots, or the same boots and a later time, moves the notion of the agent's clock.</summary>
    private void Sync(UsmSecurityParameters security)
    {
        if (security.EngineBoots > _engineBoots || (security.EngineBoots == _engineBoots && security.EngineTime > EngineTimeNow))
        {
            SetClock(security);
        }
    }

    private void SetClock(UsmSecurityParameters security)
    {
        _engineBoots = security.EngineBoots;
        _engineTime = security.EngineTime;
        _sinceSync.Restart();
    }

    private int EngineTimeNow => (int)Math.Min(int.MaxValue, _engineTime + (long)_sinceSync.Elapsed.TotalSeconds);
}
