using UpsAgent.Shutdown.Notifications;
using UpsAgent.Shutdown.Policy;

namespace UpsAgent.Configuration;

/// <summary>The [shutdown] section: upsmon.conf's settings plus the triggers and hooks UpsAgent adds.</summary>
public sealed class ShutdownConfig
{
    /// <summary>SHUTDOWNCMD; null means decisions are logged and notified only.</summary>
    public string? Command { get; set; }

    public string? PowerDownFlag { get; set; }

    public NotifySettings Notify { get; set; } = new();

    /// <summary>
    /// upsmon's thresholds and timers, and the triggers UpsAgent adds; the monitored supplies are
    /// filled in from the [monitor] sections when the policy is built.
    /// </summary>
    public ShutdownSettings Policy { get; set; } = new();

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan AlertPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Run the shutdown command even when a simulated UPS caused the decision (demos on throwaway machines).</summary>
    public bool AllowSimulated { get; set; }

    public List<HookConfig> Hooks { get; } = [];

    /// <summary>upssched's CMDSCRIPT: run with the timer name when a timer fires.</summary>
    public string? TimerCommand { get; set; }

    public List<TimerRuleConfig> TimerRules { get; } = [];
}

/// <summary>A "hook = NAME SECONDS COMMAND" line: a command run before the shutdown, bounded in time.</summary>
public sealed record HookConfig(string Name, TimeSpan TimeLimit, string Command);

/// <summary>An upssched "AT type ups action" rule.</summary>
public sealed record TimerRuleConfig(NotifyType Type, string Ups, string Action, string? Timer, TimeSpan? Delay, string? Command, ConfigEntry Entry);

/// <summary>A [monitor NAME] section: upsmon's MONITOR line.</summary>
public sealed record MonitorConfig(
    string Label,
    string Ups,
    string? Host,
    int Port,
    int PowerValue,
    string? User,
    string? Password,
    Shutdown.Policy.MonitorRole Role,
    ConfigSection Section)
{
    public bool IsLocal => Host is null;

    /// <summary>STARTTLS towards the server of a remote UPS.</summary>
    public Drivers.Nut.NutTlsOptions Tls { get; init; } = Drivers.Nut.NutTlsOptions.Default;
}
