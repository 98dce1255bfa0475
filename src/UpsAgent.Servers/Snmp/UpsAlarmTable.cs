using UpsAgent.Core.State;

namespace UpsAgent.Servers.Snmp;

/// <summary>
/// upsAlarmTable bookkeeping (RFC 1628 upsAlarm group): a row appears when a condition is first seen
/// and goes when it clears; ids start at 1 and grow by one per new row, so the table may be sparse.
/// Also keeps what only history can tell: when the UPS went on battery and how often the input went bad.
/// </summary>
public sealed class UpsAlarmTable
{
    private readonly object _gate = new();
    private readonly SortedDictionary<uint, UpsAlarmRow> _rows = [];
    private uint _nextId = 1;
    private long _seenVersion = -1;
    private TimeSpan? _onBatterySince;
    private uint _inputLineBads;
    private UpsAlarmRow[] _snapshot = [];

    public IReadOnlyList<UpsAlarmRow> Rows => Volatile.Read(ref _snapshot);

    public uint InputLineBads => Volatile.Read(ref _inputLineBads);

    /// <summary>Seconds on battery (upsSecondsOnBattery): 0 when not on battery.</summary>
    public int SecondsOnBattery(TimeSpan uptime)
    {
        lock (_gate)
        {
            return _onBatterySince is { } since ? (int)Math.Max(0, (uptime - since).TotalSeconds) : 0;
        }
    }

    /// <summary>Brings the rows up to date with a snapshot; snapshots already seen change nothing.</summary>
    public bool Update(UpsState state, TimeSpan uptime, uint uptimeTicks)
    {
        lock (_gate)
        {
            if (state.Version <= _seenVersion)
            {
                return false;
            }

            _seenVersion = state.Version;
            HashSet<UpsWellKnownAlarm> present = UpsMibMap.PresentAlarms(state);
            bool onBattery = present.Contains(UpsWellKnownAlarm.OnBattery);
            if (onBattery && _onBatterySince is null)
            {
                _onBatterySince = uptime;
                _inputLineBads++;
            }
            else if (!onBattery)
            {
                _onBatterySince = null;
            }

            bool changed = false;
            foreach (UpsAlarmRow row in _rows.Values.Where(r => !present.Contains(r.Alarm)).ToList())
            {
                _rows.Remove(row.Id);
                changed = true;
            }

            foreach (UpsWellKnownAlarm alarm in present.Order())
            {
                if (!_rows.Values.Any(r => r.Alarm == alarm))
                {
                    uint id = NextFreeId();
                    _rows[id] = new UpsAlarmRow(id, alarm, uptimeTicks);
                    changed = true;
                }
            }

            if (changed)
            {
                Volatile.Write(ref _snapshot, _rows.Values.ToArray());
            }

            return changed;
        }
    }

    private uint NextFreeId()
    {
        // PositiveInteger ids wrap to the first free value >= 1 (RFC 1628 upsAlarmId).
        while (_rows.ContainsKey(_nextId) || _nextId == 0 || _nextId > int.MaxValue)
        {
            _nextId = _nextId >= int.MaxValue ? 1 : _nextId + 1;
        }

        uint id = _nextId;
        _nextId = id >= int.MaxValue ? 1 : id + 1;
        return id;
    }
}
