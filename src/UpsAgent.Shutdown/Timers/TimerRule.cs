using UpsAgent.Shutdown.Notifications;

namespace UpsAgent.Shutdown.Timers;

/// <summary>
/// One upssched.conf "AT" line: on <see cref="Type"/> for <see cref="Ups"/> ("*" for any), start or
/// cancel a named timer, or run the timer command with <see cref="Argument"/> at once.
/// </summary>
public sealed record TimerRule(NotifyType Type, string Ups, TimerAction Action, string? Timer, TimeSpan Delay, string? Argument)
{
    public bool Matches(NotifyEvent e) =>
        e.Type == Type && (Ups == "*" || string.Equals(Ups, e.Ups, StringComparison.OrdinalIgnoreCase));
}
