namespace UpsAgent.Shutdown.Notifications;

/// <summary>upsmon's NOTIFYFLAG words: where a notification goes.</summary>
[Flags]
public enum NotifyFlags
{
    Ignore = 0,
    Syslog = 1,
    Wall = 2,
    Exec = 4,
}
