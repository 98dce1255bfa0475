namespace UpsAgent.Shutdown.Timers;

/// <summary>upssched's actions.</summary>
public enum TimerAction
{
    StartTimer,
    CancelTimer,
    Execute,
}
