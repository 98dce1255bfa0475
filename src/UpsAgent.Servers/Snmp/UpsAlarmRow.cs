namespace UpsAgent.Servers.Snmp;

/// <summary>One upsAlarmEntry: upsAlarmId, upsAlarmDescr and upsAlarmTime (sysUpTime when detected).</summary>
public readonly record struct UpsAlarmRow(uint Id, UpsWellKnownAlarm Alarm, uint TimeTicks);
