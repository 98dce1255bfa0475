using UpsAgent.Core.Commands;
using UpsAgent.Core.State;
using UpsAgent.Core.Timing;
using UpsAgent.Protocols.Snmp;

namespace UpsAgent.Servers.Snmp;

/// <summary>
/// The agent's whole MIB view for one UPS: the system and snmp groups (RFC 3418) and UPS-MIB built
/// from <see cref="UpsMibMap"/>. The sorted tree is rebuilt only when the UPS snapshot changes;
/// sysUpTime and upsSecondsOnBattery are read live.
/// </summary>
public sealed class UpsMibView
{
    private readonly object _gate = new();
    private readonly UpsUnit _unit;
    private readonly SnmpAgentOptions _options;
    private readonly IClock _clock;
    private readonly TimeSpan _started;
    private MibTree? _tree;
    private long _treeVersion = -1;

    public UpsMibView(UpsUnit unit, SnmpAgentOptions options, SnmpCounters counters, IClock clock)
    {
        _unit = unit;
        _options = options;
        _clock = clock;
        _started = clock.Elapsed;
        Counters = counters;
    }

    public UpsAlarmTable Alarms { get; } = new();

    public UpsUnit Unit => _unit;

    public SnmpAgentOptions Options => _options;

    /// <summary>snmpEngineTime: seconds since this engine's boots value was taken (RFC 3414 section 2.2.1).</summary>
    public int EngineTime => (int)Math.Min(int.MaxValue, Math.Max(0, Uptime.TotalSeconds));

    public SnmpCounters Counters { get; }

    public TimeSpan Uptime => _clock.Elapsed - _started;

    /// <summary>The tree for the current snapshot.</summary>
    public MibTree Tree
    {
        get
        {
            UpsState state = _unit.Current;
            MibTree? tree = Volatile.Read(ref _tree);
            if (tree is not null && Volatile.Read(ref _treeVersion) == state.Version)
            {
                return tree;
            }

            return Refresh(state);
        }
    }

    /// <summary>Takes in a snapshot from the change feed (alarm rows get their time stamps here) and rebuilds the tree.</summary>
    public MibTree Refresh(UpsState state)
    {
        lock (_gate)
        {
            if (_tree is not null && _treeVersion >= state.Version)
            {
                return _tree;
            }

            TimeSpan uptime = Uptime;
            var context = new UpsMibContext(state, Alarms, () => Uptime);
            Alarms.Update(state, uptime, context.UptimeTicks);
            var tree = new MibTree(Build(context), [UpsMibOids.UpsAlarmEntry.Append(2), UpsMibOids.UpsAlarmEntry.Append(3)]);
            Volatile.Write(ref _tree, tree);
            Volatile.Write(ref _treeVersion, state.Version);
            return tree;
        }
    }

    private List<MibEntry> Build(UpsMibContext context)
    {
        var entries = new List<MibEntry>();
        AddSystemGroup(entries, context);
        AddSnmpGroup(entries);
        AddEngineGroups(entries);
        foreach (UpsMibRow row in UpsMibMap.Rows)
        {
            if (row.Read(context) is not { } value)
            {
                continue;
            }

            Func<SnmpValue> read = row.Live ? () => row.Read(context) ?? SnmpValue.NoSuchInstance : () => value;
            entries.Add(new MibEntry(row.Object, row.Instance, read, row.Write));
        }

        foreach (UpsAlarmRow alarm in context.Alarms.Rows)
        {
            ObjectIdentifier descr = UpsMibOids.UpsAlarmEntry.Append(2);
            ObjectIdentifier time = UpsMibOids.UpsAlarmEntry.Append(3);
            SnmpValue descrValue = SnmpValue.ObjectId(UpsMibOids.Alarm(alarm.Alarm));
            SnmpValue timeValue = SnmpValue.TimeTicks(alarm.TimeTicks);
            entries.Add(new MibEntry(descr, descr.Append(alarm.Id), () => descrValue));
            entries.Add(new MibEntry(time, time.Append(alarm.Id), () => timeValue));
        }

        return entries;
    }

    private void AddSystemGroup(List<MibEntry> entries, UpsMibContext context)
    {
        ObjectIdentifier system = UpsMibOids.System;
        string description = _options.Description ?? $"UpsAgent UPS-MIB agent for UPS '{_unit.Name}'";
        Scalar(entries, system.Append(1), SnmpValue.OctetString(Truncate(description)));
        Scalar(entries, system.Append(2), SnmpValue.ObjectId(_options.ObjectId));
        entries.Add(new MibEntry(system.Append(3), system.Append(3, 0), () => SnmpValue.TimeTicks(context.UptimeTicks)));
        Scalar(entries, system.Append(4), SnmpValue.OctetString(Truncate(_options.Contact)));
        Scalar(entries, system.Append(5), SnmpValue.OctetString(Truncate(_options.Name)));
        Scalar(entries, system.Append(6), SnmpValue.OctetString(Truncate(_options.Location)));

        // sysServices 72: applications (layer 7) on an end-to-end host (layer 4), RFC 3418.
        Scalar(entries, system.Append(7), SnmpValue.Integer(72));
        Scalar(entries, system.Append(8), SnmpValue.TimeTicks(0));
    }

    private void AddSnmpGroup(List<MibEntry> entries)
    {
        ObjectIdentifier snmp = UpsMibOids.SnmpGroup;
        SnmpCounters c = Counters;
        Live(1, () => c.InPackets);
        Live(3, () => c.InBadVersions);
        Live(4, () => c.InBadCommunityNames);
        Live(5, () => c.InBadCommunityUses);
        Live(6, () => c.InAsnParseErrors);

        // snmpEnableAuthenTraps: disabled(2); authenticationFailure traps are not sent.
        Scalar(entries, snmp.Append(30), SnmpValue.Integer(2));
        Live(31, () => c.SilentDrops);
        Live(32, () => 0);

        void Live(uint arc, Func<uint> read) =>
            entries.Add(new MibEntry(snmp.Append(arc), snmp.Append(arc, 0), () => SnmpValue.Counter32(read())));
    }

    /// <summary>snmpEngine (RFC 3411), snmpMPDStats (RFC 3412), snmpUnknownContexts (RFC 3413) and usmStats (RFC 3414).</summary>
    private void AddEngineGroups(List<MibEntry> entries)
    {
        ObjectIdentifier engine = UpsMibOids.SnmpEngine;
        Scalar(entries, engine.Append(1), SnmpValue.OctetString(_options.EngineId));
        Scalar(entries, engine.Append(2), SnmpValue.Integer(_options.EngineBoots));
        entries.Add(new MibEntry(engine.Append(3), engine.Append(3, 0), () => SnmpValue.Integer(EngineTime)));
        Scalar(entries, engine.Append(4), SnmpValue.Integer(_options.MaxMessageSize));

        SnmpCounters c = Counters;
        Counter(UpsMibOids.SnmpMpdStats, 1, () => c.UnknownSecurityModels);
        Counter(UpsMibOids.SnmpMpdStats, 2, () => c.InvalidMessages);
        Counter(UpsMibOids.SnmpMpdStats, 3, () => c.UnknownPduHandlers);
        ObjectIdentifier contexts = UpsMibOids.SnmpUnknownContextsInstance;
        entries.Add(new MibEntry(new ObjectIdentifier(contexts.Arcs[..^1]), contexts, () => SnmpValue.Counter32(c.UnknownContexts)));
        Counter(UpsMibOids.UsmStats, 1, () => c.UnsupportedSecLevels);
        Counter(UpsMibOids.UsmStats, 2, () => c.NotInTimeWindows);
        Counter(UpsMibOids.UsmStats, 3, () => c.UnknownUserNames);
        Counter(UpsMibOids.UsmStats, 4, () => c.UnknownEngineIds);
        Counter(UpsMibOids.UsmStats, 5, () => c.WrongDigests);
        Counter(UpsMibOids.UsmStats, 6, () => c.DecryptionErrors);

        void Counter(ObjectIdentifier group, uint arc, Func<uint> read) =>
            entries.Add(new MibEntry(group.Append(arc), group.Append(arc, 0), () => SnmpValue.Counter32(read())));
    }

    private static void Scalar(List<MibEntry> entries, ObjectIdentifier scalar, SnmpValue value) =>
        entries.Add(new MibEntry(scalar, scalar.Append(0), () => value));

    private static string Truncate(string text) => text.Length <= 255 ? text : text[..255];
}
