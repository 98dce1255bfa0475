using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace UpsAgent.Protocols.Snmp;

/// <summary>
/// SNMPv3 messages with USM (RFC 3412 section 6, RFC 3414 section 2.4). The plain codec reads and
/// writes the structure; the secured encode and the authenticate/decrypt steps apply a
/// <see cref="UsmUser"/>'s keys. Decoding never throws: anything that is not exactly one
/// well-formed message is refused with a reason that names the counter it belongs to.
/// </summary>
public static class SnmpV3MessageCodec
{
    /// <summary>RFC 3412 section 6: msgMaxSize is at least 484 (RFC 3417 section 3.2's minimum).</summary>
    public const int MinMaxSize = 484;

    /// <summary>RFC 3411 section 5: snmpEngineID is 5..32 octets; msgUserName at most 32.</summary>
    public const int MaxEngineIdLength = 32;

    public const int MaxUserNameLength = 32;

    private const int ScratchSize = 65_536;

    public static bool TryDecode(ReadOnlySpan<byte> datagram, [NotNullWhen(true)] out SnmpV3Message? message, out SnmpDecodeError error)
    {
        message = null;
        error = SnmpDecodeError.Malformed;
        if (!SnmpEnvelope.TryOpen(datagram, out int version, out BerReader reader))
        {
            return false;
        }

        if (version != (int)SnmpVersion.V3)
        {
            error = SnmpDecodeError.BadVersion;
            return false;
        }

        if (!reader.TryRead((byte)SnmpType.Sequence, out ReadOnlySpan<byte> globalData))
        {
            return false;
        }

        var header = new BerReader(globalData);
        if (!header.TryReadInt32(out int messageId) || messageId < 0
            || !header.TryReadInt32(out int maxSize) || maxSize < MinMaxSize
            || !header.TryRead((byte)SnmpType.OctetString, out ReadOnlySpan<byte> flagOctets) || flagOctets.Length != 1
            || !header.TryReadInt32(out int securityModel) || securityModel < 1
            || !header.IsEmpty)
        {
            return false;
        }

        if (!reader.TryRead((byte)SnmpType.OctetString, out ReadOnlySpan<byte> securityOctets))
        {
            return false;
        }

        if (securityModel != SnmpV3Message.UserBasedSecurityModel)
        {
            error = SnmpDecodeError.UnknownSecurityModel;
            return false;
        }

        var flags = (SnmpV3Flags)(flagOctets[0] & 0x07);
        if ((flags & (SnmpV3Flags.Auth | SnmpV3Flags.Priv)) == SnmpV3Flags.Priv)
        {
            // RFC 3412 section 7.2 step 5: privacy without authentication is an invalid message.
            error = SnmpDecodeError.InvalidMessage;
            return false;
        }

        if (!TryDecodeSecurityParameters(securityOctets, out UsmSecurityParameters? security, out ReadOnlySpan<byte> mac))
        {
            return false;
        }

        ScopedPdu? scoped = null;
        byte[]? encrypted = null;
        if ((flags & SnmpV3Flags.Priv) != 0)
        {
            if (!reader.TryRead((byte)SnmpType.OctetString, out ReadOnlySpan<byte> cipher))
            {
                return false;
            }

            encrypted = cipher.ToArray();
        }
        else if (!reader.TryReadTlv(out byte tag, out ReadOnlySpan<byte> scopedBody)
                 || tag != (byte)SnmpType.Sequence
                 || !TryDecodeScopedPduBody(scopedBody, out scoped))
        {
            return false;
        }

        if (!reader.IsEmpty)
        {
            return false;
        }

        int macOffset = -1;
        if (!mac.IsEmpty && datagram.Overlaps(mac, out int offset))
        {
            macOffset = offset;
        }

        message = new SnmpV3Message(messageId, maxSize, flags, security, scoped, encrypted) { AuthenticationOffset = macOffset };
        error = SnmpDecodeError.None;
        return true;
    }

    private static bool TryDecodeSecurityParameters(ReadOnlySpan<byte> octets, [NotNullWhen(true)] out UsmSecurityParameters? security, out ReadOnlySpan<byte> mac)
    {
        security = null;
        mac = default;
        var wrapper = new BerReader(octets);
        if (!wrapper.TryRead((byte)SnmpType.Sequence, out ReadOnlySpan<byte> sequence) || !wrapper.IsEmpty)
        {
            return false;
        }

        var reader = new BerReader(sequence);
        if (!reader.TryRead((byte)SnmpType.OctetString, out ReadOnlySpan<byte> engineId) || engineId.Length > MaxEngineIdLength
            || !reader.TryReadInt32(out int boots) || boots < 0
            || !reader.TryReadInt32(out int time) || time < 0
            || !reader.TryRead((byte)SnmpType.OctetString, out ReadOnlySpan<byte> userName) || userName.Length > MaxUserNameLength
            || !reader.TryRead((byte)SnmpType.OctetString, out mac) || mac.Length > 64
            || !reader.TryRead((byte)SnmpType.OctetString, out ReadOnlySpan<byte> salt) || salt.Length > 64
            || !reader.IsEmpty)
        {
            return false;
        }

        security = new UsmSecurityParameters(engineId.ToArray(), boots, time, userName.ToArray(), mac.ToArray(), salt.ToArray());
        return true;
    }

    /// <summary>
    /// A ScopedPDU from decrypted octets. Octets after the SEQUENCE are ignored, as a DES-padded
    /// plaintext carries them (RFC 3414 section 8.1.1.2); AES adds none.
    /// </summary>
    public static bool TryDecodeScopedPdu(ReadOnlySpan<byte> octets, [NotNullWhen(true)] out ScopedPdu? scoped)
    {
        scoped = null;
        var reader = new BerReader(octets);
        return reader.TryRead((byte)SnmpType.Sequence, out ReadOnlySpan<byte> body) && TryDecodeScopedPduBody(body, out scoped);
    }

    private static bool TryDecodeScopedPduBody(ReadOnlySpan<byte> body, [NotNullWhen(true)] out ScopedPdu? scoped)
    {
        scoped = null;
        var reader = new BerReader(body);
        if (!reader.TryRead((byte)SnmpType.OctetString, out ReadOnlySpan<byte> contextEngineId) || contextEngineId.Length > MaxEngineIdLength
            || !reader.TryRead((byte)SnmpType.OctetString, out ReadOnlySpan<byte> contextName) || contextName.Length > 255
            || !reader.TryReadTlv(out byte pduTag, out ReadOnlySpan<byte> pduBody)
            || !reader.IsEmpty
            || pduTag is < (byte)SnmpPduType.GetRequest or > (byte)SnmpPduType.Report or (byte)SnmpPduType.TrapV1
            || !SnmpMessageCodec.TryDecodePdu((SnmpPduType)pduTag, pduBody, out SnmpPdu? pdu))
        {
            return false;
        }

        scoped = new ScopedPdu(contextEngineId.ToArray(), contextName.ToArray(), pdu);
        return true;
    }

    /// <summary>The ScopedPDU's BER, the plaintext that privacy encrypts.</summary>
    public static bool TryEncodeScopedPdu(ScopedPdu scoped, Span<byte> destination, out int written)
    {
        var writer = new BerWriter(destination);
        WriteScopedPdu(ref writer, scoped);
        return Finish(ref writer, destination, out written);
    }

    /// <summary>
    /// Encodes the message exactly as given (its MAC and salt octets included) and reports where
    /// the MAC's contents landed, -1 when it is empty. Exactly one of ScopedPdu and EncryptedPdu must be set.
    /// </summary>
    public static bool TryEncode(SnmpV3Message message, Span<byte> destination, out int written, out int macOffset)
    {
        macOffset = -1;
        var writer = new BerWriter(destination);
        if (message.EncryptedPdu is { } encrypted)
        {
            writer.WriteOctets((byte)SnmpType.OctetString, encrypted);
        }
        else
        {
            WriteScopedPdu(ref writer, message.ScopedPdu ?? throw new ArgumentException("a v3 message needs a ScopedPdu or an EncryptedPdu", nameof(message)));
        }

        UsmSecurityParameters security = message.Security;
        int securityEnd = writer.Mark();
        int sequenceEnd = writer.Mark();
        writer.WriteOctets((byte)SnmpType.OctetString, security.PrivacyParameters);
        int beforeMac = writer.Written;
        writer.WriteOctets((byte)SnmpType.OctetString, security.AuthenticationParameters);
        writer.WriteOctets((byte)SnmpType.OctetString, security.UserName);
        writer.WriteSigned((byte)SnmpType.Integer, security.EngineTime);
        writer.WriteSigned((byte)SnmpType.Integer, security.EngineBoots);
        writer.WriteOctets((byte)SnmpType.OctetString, security.EngineId);
        writer.WriteConstructed((byte)SnmpType.Sequence, sequenceEnd);
        writer.WriteConstructed((byte)SnmpType.OctetString, securityEnd);

        int globalEnd = writer.Mark();
        writer.WriteSigned((byte)SnmpType.Integer, SnmpV3Message.UserBasedSecurityModel);
        writer.WriteOctet((byte)SnmpType.OctetString, (byte)message.Flags);
        writer.WriteSigned((byte)SnmpType.Integer, message.MaxSize);
        writer.WriteSigned((byte)SnmpType.Integer, message.MessageId);
        writer.WriteConstructed((byte)SnmpType.Sequence, globalEnd);
        writer.WriteSigned((byte)SnmpType.Integer, (int)SnmpVersion.V3);
        writer.WriteHeader((byte)SnmpType.Sequence, writer.Written);
        if (!Finish(ref writer, destination, out written))
        {
            return false;
        }

        if (security.AuthenticationParameters.Length > 0)
        {
            macOffset = written - beforeMac - security.AuthenticationParameters.Length;
        }

        return true;
    }

    /// <summary>
    /// Encodes with the user's security applied, as the flags ask: with privacy the ScopedPDU is
    /// encrypted under the salt in msgPrivacyParameters and the boots/time in the header; with
    /// authentication the MAC is computed over the result and written in place.
    /// </summary>
    public static bool TryEncodeSecured(SnmpV3Message message, UsmUser? user, Span<byte> destination, out int written)
    {
        written = 0;
        SnmpV3Message plain = message;
        if (message.IsAuthenticated)
        {
            ArgumentNullException.ThrowIfNull(user);
            if (user.AuthProtocol == UsmAuthProtocol.None)
            {
                throw new ArgumentException($"user has no authentication key for flags {message.Flags}", nameof(user));
            }

            plain = plain with { Security = plain.Security with { AuthenticationParameters = new byte[UsmAuthentication.MacLength(user.AuthProtocol)] } };
        }

        if (message.IsEncrypted)
        {
            if (user is null || user.PrivProtocol == UsmPrivProtocol.None)
            {
                throw new ArgumentException($"user has no privacy key for flags {message.Flags}", nameof(user));
            }

            ScopedPdu scoped = message.ScopedPdu ?? throw new ArgumentException("privacy needs the ScopedPdu to encrypt", nameof(message));
            byte[] scratch = ArrayPool<byte>.Shared.Rent(ScratchSize);
            try
            {
                if (!TryEncodeScopedPdu(scoped, scratch, out int plainLength))
                {
                    return false;
                }

                byte[] cipher = new byte[plainLength];
                UsmSecurityParameters security = plain.Security;
                UsmPrivacy.Encrypt(user.PrivKey, security.EngineBoots, security.EngineTime, security.PrivacyParameters, scratch.AsSpan(0, plainLength), cipher);
                plain = plain with { ScopedPdu = null, EncryptedPdu = cipher };
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(scratch);
            }
        }

        if (!TryEncode(plain, destination, out written, out int macOffset))
        {
            return false;
        }

        if (message.IsAuthenticated)
        {
            UsmAuthentication.Sign(user!.AuthProtocol, user.AuthKey, destination[..written], macOffset);
        }

        return true;
    }

    /// <summary>True when <paramref name="datagram"/> (the bytes <paramref name="message"/> was decoded from) carries this user's MAC.</summary>
    public static bool Authenticate(ReadOnlySpan<byte> datagram, SnmpV3Message message, UsmUser user) =>
        user.AuthProtocol != UsmAuthProtocol.None
        && message.Security.AuthenticationParameters.Length == UsmAuthentication.MacLength(user.AuthProtocol)
        && UsmAuthentication.Verify(user.AuthProtocol, user.AuthKey, datagram, message.AuthenticationOffset);

    /// <summary>The ScopedPDU of an encrypted message; false is usmStatsDecryptionErrors (bad salt, or no ScopedPDU inside).</summary>
    public static bool TryDecrypt(SnmpV3Message message, UsmUser user, [NotNullWhen(true)] out ScopedPdu? scoped)
    {
        scoped = null;
        if (message.EncryptedPdu is not { } cipher || user.PrivProtocol == UsmPrivProtocol.None)
        {
            return false;
        }

        byte[] plain = ArrayPool<byte>.Shared.Rent(Math.Max(cipher.Length, 1));
        try
        {
            UsmSecurityParameters security = message.Security;
            return UsmPrivacy.TryDecrypt(user.PrivKey, security.EngineBoots, security.EngineTime, security.PrivacyParameters, cipher, plain)
                && TryDecodeScopedPdu(plain.AsSpan(0, cipher.Length), out scoped);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(plain);
        }
    }

    private static void WriteScopedPdu(ref BerWriter writer, ScopedPdu scoped)
    {
        int end = writer.Mark();
        SnmpMessageCodec.WritePdu(ref writer, scoped.Pdu);
        writer.WriteOctets((byte)SnmpType.OctetString, scoped.ContextName);
        writer.WriteOctets((byte)SnmpType.OctetString, scoped.ContextEngineId);
        writer.WriteConstructed((byte)SnmpType.Sequence, end);
    }

    private static bool Finish(ref BerWriter writer, Span<byte> destination, out int written)
    {
        if (writer.HasOverflowed)
        {
            written = 0;
            return false;
        }

        written = writer.Written;
        writer.Encoded.CopyTo(destination);
        return true;
    }
}
