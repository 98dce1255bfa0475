using System.Net;

namespace UpsAgent.Servers.Snmp;

/// <summary>
/// A configured community string, its access and the sources it is good from (net-snmp's
/// <c>rocommunity public 127.0.0.1</c>); a null <see cref="Source"/> means any address.
/// </summary>
public sealed record SnmpCommunity(string Name, SnmpAccess Access, IPNetwork? Source = null)
{
    public static readonly IPNetwork Loopback = new(IPAddress.Loopback, 8);

    /// <summary>What runs with no community configured: "public", read-only, loopback only, as Debian's snmpd ships.</summary>
    public static SnmpCommunity LoopbackPublic { get; } = new("public", SnmpAccess.ReadOnly, Loopback);

    public bool Allows(IPAddress address)
    {
        if (Source is not { } source)
        {
            return true;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        // "localhost" covers both loopbacks.
        return source.Contains(address) || (source == Loopback && IPAddress.IsLoopback(address));
    }
}
