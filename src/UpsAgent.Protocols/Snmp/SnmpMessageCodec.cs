namespace UpsAgent.Protocols.Snmp;

/// <summary>
/// Decodes and encodes v1/v2c messages (RFC 1157 section 4, RFC 1901, RFC 3416 section 3). Decoding
/// never throws: anything that is not exactly one well-formed message is refused with a reason.
/// </summary>
public static class SnmpMessageCodec
{
    /// <summary>A varbind list longer than this is refused; no datagram we answer holds more.</summary>
    public const int MaxVarBinds = 1024;

    public static bool TryDecode(ReadOnlySpan<byte> datagram, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SnmpMessage? message, out SnmpDecodeError error)
    {
        message = null;
        error = SnmpDecodeError.Malformed;
        if (!SnmpEnvelope.TryOpen(datagram, out int versionNumber, out BerReader reader))
        {
            return false;
        }

        if (versionNumber is not ((int)SnmpVersion.V1 or (int)SnmpVersion.V2c))
        {
            error = SnmpDecodeError.BadVersion;
            return false;
        }

        var version = (SnmpVersion)versionNumber;
        if (!reader.TryRead((byte)SnmpType.OctetString, out ReadOnlySpan<byte> community)
            || !reader.TryReadTlv(out byte pduTag, out ReadOnlySpan<byte> pduBody)
            || !reader.IsEmpty
            || !IsDecodablePdu(version, pduTag)
            || !TryDecodePdu((SnmpPduType)pduTag, pduBody, out SnmpPdu? pdu))
        {
            return false;
        }

        message = new SnmpMessage(version, community.ToArray(), pdu);
        error = SnmpDecodeError.None;
        return true;
    }

    /// <summary>
    /// GetBulk, Inform, SNMPv2-Trap and Report do not exist in v1 (RFC 3584 section 4.1 has a v1
    /// entity drop them as parse errors); the v1 Trap-PDU has another layout and is not ours to read.
    /// </summary>
    private static bool IsDecodablePdu(SnmpVersion version, byte tag) => (SnmpPduType)tag switch
    {
        SnmpPduType.GetRequest or SnmpPduType.GetNextRequest or SnmpPduType.Response or SnmpPduType.SetRequest => true,
        SnmpPduType.GetBulkRequest or SnmpPduType.InformRequest or SnmpPduType.SnmpV2Trap or SnmpPduType.Report => version != SnmpVersion.V1,
        _ => false,
    };

    internal static bool TryDecodePdu(SnmpPduType type, ReadOnlySpan<byte> body, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SnmpPdu? pdu)
    {
        pdu = null;
        var reader = new BerReader(body);
        if (!reader.TryReadInt32(out int requestId)
            || !reader.TryReadInt32(out int errorStatus)
            || !reader.TryReadInt32(out int errorIndex)
            || !reader.TryRead((byte)SnmpType.Sequence, out ReadOnlySpan<byte> list)
            || !reader.IsEmpty)
        {
            return false;
        }

        if (!TryDecodeVarBinds(list, out List<VarBind>? varBinds))
        {
            return false;
        }

        pdu = new SnmpPdu(type, requestId, errorStatus, errorIndex, varBinds);
        return true;
    }

    internal static bool TryDecodeVarBinds(ReadOnlySpan<byte> list, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out List<VarBind>? varBinds)
    {
        varBinds = null;
        var decoded = new List<VarBind>();
        var items = new BerReader(list);
        while (!items.IsEmpty)
        {
            if (decoded.Count >= MaxVarBinds
                || !items.TryRead((byte)SnmpType.Sequence, out ReadOnlySpan<byte> varBind))
            {
                return false;
            }

            var pair = new BerReader(varBind);
            if (!pair.TryRead((byte)SnmpType.ObjectIdentifier, out ReadOnlySpan<byte> name)
                || !ObjectIdentifier.TryDecodeContent(name, out ObjectIdentifier? oid)
                || !pair.TryReadTlv(out byte valueTag, out ReadOnlySpan<byte> valueContent)
                || !pair.IsEmpty
                || !TryDecodeValue(valueTag, valueContent, out SnmpValue value))
            {
                return false;
            }

            decoded.Add(new VarBind(oid, value));
        }

        varBinds = decoded;
        return true;
    }

    public static bool TryDecodeValue(byte tag, ReadOnlySpan<byte> content, out SnmpValue value)
    {
        value = default;
        switch ((SnmpType)tag)
        {
            case SnmpType.Integer:
                if (!BerReader.TryDecodeSigned(content, out long integer) || integer < int.MinValue || integer > int.MaxValue)
                {
                    return false;
                }

                value = SnmpValue.Integer((int)integer);
                return true;
            case SnmpType.OctetString or SnmpType.Opaque:
                value = SnmpValue.FromDecoded((SnmpType)tag, 0, content.ToArray(), null);
                return true;
            case SnmpType.IpAddress:
                if (content.Length != 4)
                {
                    return false;
                }

                value = SnmpValue.IpAddress(content);
                return true;
            case SnmpType.ObjectIdentifier:
                if (!ObjectIdentifier.TryDecodeContent(content, out ObjectIdentifier? oid))
                {
                    return false;
                }

                value = SnmpValue.ObjectId(oid);
                return true;
            case SnmpType.Counter32 or SnmpType.Gauge32 or SnmpType.TimeTicks or SnmpType.Counter64:
                if (!BerReader.TryDecodeUnsigned(content, (SnmpType)tag == SnmpType.Counter64 ? 64 : 32, out ulong number))
                {
                    return false;
                }

                value = SnmpValue.FromDecoded((SnmpType)tag, unchecked((long)number), null, null);
                return true;
            case SnmpType.Null or SnmpType.NoSuchObject or SnmpType.NoSuchInstance or SnmpType.EndOfMibView:
                if (!content.IsEmpty)
                {
                    return false;
                }

                value = SnmpValue.FromDecoded((SnmpType)tag, 0, null, null);
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// Encodes into <paramref name="destination"/> from its start; false (and nothing usable
    /// written) when it does not fit, which is the agent's cue for tooBig.
    /// </summary>
    public static bool TryEncode(SnmpMessage message, Span<byte> destination, out int written)
    {
        var writer = new BerWriter(destination);
        WritePdu(ref writer, message.Pdu);
        writer.WriteOctets((byte)SnmpType.OctetString, message.Community);
        writer.WriteSigned((byte)SnmpType.Integer, (int)message.Version);
        writer.WriteHeader((byte)SnmpType.Sequence, writer.Written);
        if (writer.HasOverflowed)
        {
            written = 0;
            return false;
        }

        written = writer.Written;
        writer.Encoded.CopyTo(destination);
        return true;
    }

    public static byte[] Encode(SnmpMessage message)
    {
        byte[] buffer = new byte[65_536];
        return TryEncode(message, buffer, out int written)
            ? buffer[..written]
            : throw new ArgumentException($"message with {message.Pdu.VarBinds.Count} varbinds exceeds 64 KiB", nameof(message));
    }

    /// <summary>A v1 message carrying a Trap-PDU (RFC 1157 section 4.1.6).</summary>
    public static bool TryEncodeTrapV1(byte[] community, SnmpTrapV1Pdu trap, Span<byte> destination, out int written)
    {
        var writer = new BerWriter(destination);
        int end = writer.Mark();
        WriteVarBinds(ref writer, trap.VarBinds);
        writer.WriteUnsigned((byte)SnmpType.TimeTicks, trap.TimeStamp);
        writer.WriteSigned((byte)SnmpType.Integer, trap.SpecificTrap);
        writer.WriteSigned((byte)SnmpType.Integer, trap.GenericTrap);
        writer.WriteOctets((byte)SnmpType.IpAddress, trap.AgentAddress);
        writer.WriteOid(trap.Enterprise);
        writer.WriteConstructed((byte)SnmpPduType.TrapV1, end);
        writer.WriteOctets((byte)SnmpType.OctetString, community);
        writer.WriteSigned((byte)SnmpType.Integer, (int)SnmpVersion.V1);
        writer.WriteHeader((byte)SnmpType.Sequence, writer.Written);
        if (writer.HasOverflowed)
        {
            written = 0;
            return false;
        }

        written = writer.Written;
        writer.Encoded.CopyTo(destination);
        return true;
    }

    public static bool TryDecodeTrapV1(ReadOnlySpan<byte> datagram, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out byte[]? community, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SnmpTrapV1Pdu? trap)
    {
        community = null;
        trap = null;
        if (!SnmpEnvelope.TryOpen(datagram, out int version, out BerReader reader) || version != (int)SnmpVersion.V1
            || !reader.TryRead((byte)SnmpType.OctetString, out ReadOnlySpan<byte> name)
            || !reader.TryRead((byte)SnmpPduType.TrapV1, out ReadOnlySpan<byte> pdu)
            || !reader.IsEmpty)
        {
            return false;
        }

        var fields = new BerReader(pdu);
        if (!fields.TryRead((byte)SnmpType.ObjectIdentifier, out ReadOnlySpan<byte> enterprise)
            || !ObjectIdentifier.TryDecodeContent(enterprise, out ObjectIdentifier? enterpriseOid)
            || !fields.TryRead((byte)SnmpType.IpAddress, out ReadOnlySpan<byte> address) || address.Length != 4
            || !fields.TryReadInt32(out int generic) || generic is < 0 or > 6
            || !fields.TryReadInt32(out int specific)
            || !fields.TryRead((byte)SnmpType.TimeTicks, out ReadOnlySpan<byte> ticks)
            || !BerReader.TryDecodeUnsigned(ticks, 32, out ulong timeStamp)
            || !fields.TryRead((byte)SnmpType.Sequence, out ReadOnlySpan<byte> list)
            || !fields.IsEmpty
            || !TryDecodeVarBinds(list, out List<VarBind>? varBinds))
        {
            return false;
        }

        community = name.ToArray();
        trap = new SnmpTrapV1Pdu(enterpriseOid, address.ToArray(), generic, specific, (uint)timeStamp, varBinds);
        return true;
    }

    /// <summary>Writes one PDU (backwards, like every <see cref="BerWriter"/> user) ending at the writer's current start.</summary>
    internal static void WritePdu(ref BerWriter writer, SnmpPdu pdu)
    {
        int end = writer.Mark();
        WriteVarBinds(ref writer, pdu.VarBinds);
        writer.WriteSigned((byte)SnmpType.Integer, pdu.ErrorIndex);
        writer.WriteSigned((byte)SnmpType.Integer, pdu.ErrorStatus);
        writer.WriteSigned((byte)SnmpType.Integer, pdu.RequestId);
        writer.WriteConstructed((byte)pdu.Type, end);
    }

    internal static void WriteVarBinds(ref BerWriter writer, IReadOnlyList<VarBind> varBinds)
    {
        int listEnd = writer.Mark();
        for (int i = varBinds.Count - 1; i >= 0 && !writer.HasOverflowed; i--)
        {
            int end = writer.Mark();
            writer.WriteValue(varBinds[i].Value);
            writer.WriteOid(varBinds[i].Name);
            writer.WriteConstructed((byte)SnmpType.Sequence, end);
        }

        writer.WriteConstructed((byte)SnmpType.Sequence, listEnd);
    }
}
