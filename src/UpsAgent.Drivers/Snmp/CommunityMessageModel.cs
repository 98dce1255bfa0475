using System.Text;
using UpsAgent.Protocols.Snmp;

namespace UpsAgent.Drivers.Snmp;

/// <summary>SNMPv1 (RFC 1157) and SNMPv2c (RFC 1901) messages: version, community, PDU.</summary>
public sealed class CommunityMessageModel : ISnmpMessageModel
{
    private readonly byte[] _community;

    public CommunityMessageModel(SnmpVersion version, string community)
    {
        if (version is not (SnmpVersion.V1 or SnmpVersion.V2c))
        {
            throw new ArgumentOutOfRangeException(nameof(version), version, "community-based messages are SNMPv1 or SNMPv2c");
        }

        ArgumentNullException.ThrowIfNull(community);
        Version = version;
        _community = Encoding.UTF8.GetBytes(community);
    }

    public SnmpVersion Version { get; }

    public byte[] Encode(SnmpPdu request) => SnmpMessageCodec.Encode(new SnmpMessage(Version, _community, request));

    public SnmpReceipt Decode(ReadOnlySpan<byte> datagram, int requestId) =>
        SnmpMessageCodec.TryDecode(datagram, out SnmpMessage? message, out _)
        && message.Version == Version
        && message.Pdu.Type == SnmpPduType.Response
        && message.Pdu.RequestId == requestId
            ? new SnmpReceipt(SnmpReceiptKind.Response, message.Pdu)
            : SnmpReceipt.Unrelated;
}
