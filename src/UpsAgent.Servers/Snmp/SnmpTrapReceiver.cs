using System.Net;

namespace UpsAgent.Servers.Snmp;

/// <summary>A notification receiver: v1 trap, v2c trap or v2c inform (net-snmp's trapsink, trap2sink, informsink).</summary>
public sealed record SnmpTrapReceiver(SnmpNotificationKind Kind, string Community, IPEndPoint Endpoint);
