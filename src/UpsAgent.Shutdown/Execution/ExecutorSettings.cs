namespace UpsAgent.Shutdown.Execution;

/// <summary>What carrying out a shutdown involves: upsmon's SHUTDOWNCMD, POWERDOWNFLAG, HOSTSYNC and FINALDELAY.</summary>
public sealed record ExecutorSettings
{
    /// <summary>Null: the decision is logged and notified only; nothing is powered off.</summary>
    public string? ShutdownCommand { get; init; }

    /// <summary>Why the command is not run even though configured (e.g. every UPS is simulated); null to run it.</summary>
    public string? DryRunReason { get; init; }

    public string? PowerDownFlagPath { get; init; }

    public TimeSpan HostSync { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan FinalDelay { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan ShutdownCommandTimeLimit { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How often a primary asks how many secondaries are left (upsmon: 250 ms).</summary>
    public TimeSpan HostSyncPoll { get; init; } = TimeSpan.FromMilliseconds(250);
}
