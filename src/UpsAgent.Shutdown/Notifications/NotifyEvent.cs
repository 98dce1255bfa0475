namespace UpsAgent.Shutdown.Notifications;

/// <summary>One notification: its type, the UPS as named in the monitor entry (empty for host events) and when.</summary>
public sealed record NotifyEvent(NotifyType Type, string Ups, DateTimeOffset At)
{
    public string Message(string template) => template.Replace("%s", Ups, StringComparison.Ordinal);
}
