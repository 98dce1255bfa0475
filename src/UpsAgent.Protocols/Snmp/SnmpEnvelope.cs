namespace UpsAgent.Protocols.Snmp;

/// <summary>What every SNMP message starts with: one outer SEQUENCE filling the datagram, then the version.</summary>
internal static class SnmpEnvelope
{
    /// <summary>
    /// False when the datagram is not one SEQUENCE or has no INTEGER version first; otherwise
    /// <paramref name="rest"/> reads what follows the version.
    /// </summary>
    public static bool TryOpen(ReadOnlySpan<byte> datagram, out int version, out BerReader rest)
    {
        version = 0;
        rest = default;
        var outer = new BerReader(datagram);
        if (!outer.TryRead((byte)SnmpType.Sequence, out ReadOnlySpan<byte> body) || !outer.IsEmpty)
        {
            return false;
        }

        rest = new BerReader(body);
        return rest.TryReadInt32(out version);
    }
}
