namespace UpsAgent.Servers.Snmp;

/// <summary>The snmp group counters of RFC 3418 that this agent keeps; safe to bump from any thread.</summary>
public sealed class SnmpCounters
{
    private long _inPackets;
    private long _inBadVersions;
    private long _inBadCommunityNames;
    private long _inBadCommunityUses;
    private long _inAsnParseErrors;
    private long _silentDrops;

    public uint InPackets => (uint)Interlocked.Read(ref _inPackets);

    public uint InBadVersions => (uint)Interlocked.Read(ref _inBadVersions);

    public uint InBadCommunityNames => (uint)Interlocked.Read(ref _inBadCommunityNames);

    public uint InBadCommunityUses => (uint)Interlocked.Read(ref _inBadCommunityUses);

    public uint InAsnParseErrors => (uint)Interlocked.Read(ref _inAsnParseErrors);

    public uint SilentDrops => (uint)Interlocked.Read(ref _silentDrops);

    internal void CountPacket() => Interlocked.Increment(ref _inPackets);

    internal void CountBadVersion() => Interlocked.Increment(ref _inBadVersions);

    internal void CountBadCommunityName() => Interlocked.Increment(ref _inBadCommunityNames);

    internal void CountBadCommunityUse() => Interlocked.Increment(ref _inBadCommunityUses);

    internal void CountParseError() => Interlocked.Increment(ref _inAsnParseErrors);

    internal void CountSilentDrop() => Interlocked.Increment(ref _silentDrops);
}
