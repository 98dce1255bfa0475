using UpsAgent.Protocols.Snmp;

namespace UpsAgent.Drivers.Snmp;

/// <summary>
/// How a manager's PDUs are wrapped in messages (RFC 3412's message processing model): community
/// based for v1/v2c, USM for v3. Encoding happens anew for every try, so a v3 model can use what it
/// learnt from a Report in between.
/// </summary>
public interface ISnmpMessageModel
{
    SnmpVersion Version { get; }

    /// <summary>The whole datagram for <paramref name="request"/>.</summary>
    byte[] Encode(SnmpPdu request);

    /// <summary>What <paramref name="datagram"/> means for the request with <paramref name="requestId"/>.</summary>
    SnmpReceipt Decode(ReadOnlySpan<byte> datagram, int requestId);
}
