namespace UpsAgent.Servers.Snmp;

/// <summary>
/// The counters this agent keeps: the snmp group (RFC 3418), snmpMPDStats (RFC 3412) and usmStats
/// (RFC 3414), which Reports carry. Safe to bump from any thread.
/// </summary>
public sealed class SnmpCounters
{
    private long _inPackets;
    private long _inBadVersions;
    private long _inBadCommunityNames;
    private long _inBadCommunityUses;
    private long _inAsnParseErrors;
    private long _silentDrops;
    private long _unknownSecurityModels;
    private long _invalidMessages;
    private long _unknownPduHandlers;
    private long _unknownContexts;
    private long _unsupportedSecLevels;
    private long _notInTimeWindows;
    private long _unknownUserNames;
    private long _unknownEngineIds;
    private long _wrongDigests;
    private long _decryptionErrors;

    public uint InPackets => Read(ref _inPackets);

    public uint InBadVersions => Read(ref _inBadVersions);

    public uint InBadCommunityNames => Read(ref _inBadCommunityNames);

    public uint InBadCommunityUses => Read(ref _inBadCommunityUses);

    public uint InAsnParseErrors => Read(ref _inAsnParseErrors);

    public uint SilentDrops => Read(ref _silentDrops);

    public uint UnknownSecurityModels => Read(ref _unknownSecurityModels);

    public uint InvalidMessages => Read(ref _invalidMessages);

    public uint UnknownPduHandlers => Read(ref _unknownPduHandlers);

    public uint UnknownContexts => Read(ref _unknownContexts);

    public uint UnsupportedSecLevels => Read(ref _unsupportedSecLevels);

    public uint NotInTimeWindows => Read(ref _notInTimeWindows);

    public uint UnknownUserNames => Read(ref _unknownUserNames);

    public uint UnknownEngineIds => Read(ref _unknownEngineIds);

    public uint WrongDigests => Read(ref _wrongDigests);

    public uint DecryptionErrors => Read(ref _decryptionErrors);

    internal void CountPacket() => Interlocked.Increment(ref _inPackets);

    internal void CountBadVersion() => Interlocked.Increment(ref _inBadVersions);

    internal void CountBadCommunityName() => Interlocked.Increment(ref _inBadCommunityNames);

    internal void CountBadCommunityUse() => Interlocked.Increment(ref _inBadCommunityUses);

    internal void CountParseError() => Interlocked.Increment(ref _inAsnParseErrors);

    internal void CountSilentDrop() => Interlocked.Increment(ref _silentDrops);

    internal void CountUnknownSecurityModel() => Interlocked.Increment(ref _unknownSecurityModels);

    internal void CountInvalidMessage() => Interlocked.Increment(ref _invalidMessages);

    internal void CountUnknownPduHandler() => Interlocked.Increment(ref _unknownPduHandlers);

    internal uint CountUnknownContext() => (uint)Interlocked.Increment(ref _unknownContexts);

    internal uint CountUnsupportedSecLevel() => (uint)Interlocked.Increment(ref _unsupportedSecLevels);

    internal uint CountNotInTimeWindow() => (uint)Interlocked.Increment(ref _notInTimeWindows);

    internal uint CountUnknownUserName() => (uint)Interlocked.Increment(ref _unknownUserNames);

    internal uint CountUnknownEngineId() => (uint)Interlocked.Increment(ref _unknownEngineIds);

    internal uint CountWrongDigest() => (uint)Interlocked.Increment(ref _wrongDigests);

    internal uint CountDecryptionError() => (uint)Interlocked.Increment(ref _decryptionErrors);

    private static uint Read(ref long counter) => unchecked((uint)Interlocked.Read(ref counter));
}
