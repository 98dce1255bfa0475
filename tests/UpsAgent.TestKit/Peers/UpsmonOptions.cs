namespace UpsAgent.TestKit.Peers;

/// <summary>
/// upsmon.conf settings a scenario varies. A null timing leaves the line out, so upsmon uses its compiled-in
/// default (POLLFREQ 5, POLLFREQALERT 5, HOSTSYNC 15, DEADTIME 15, FINALDELAY 5).
/// </summary>
public sealed record UpsmonOptions
{
    public UpsmonRole Role { get; init; } = UpsmonRole.Secondary;

    public int? PollFreq { get; init; } = 1;

    public int? PollFreqAlert { get; init; } = 1;

    public int? HostSync { get; init; } = 5;

    public int? DeadTime { get; init; } = 3;

    public int? FinalDelay { get; init; }

    /// <summary>Text of the NOTIFYCMD script (copied into upsmon's directory); null: append <c>TYPE UPSNAME message</c> to events.txt.</summary>
    public string? NotifyScript { get; init; }

    /// <summary>Shell lines the SHUTDOWNCMD runs after writing its marker (e.g. <c>sleep 60</c>).</summary>
    public string ShutdownCommandTail { get; init; } = "";

    /// <summary>Quick polls and short waits, so a scenario takes seconds (FINALDELAY 0).</summary>
    public static UpsmonOptions Fast(UpsmonRole role) => new() { Role = role, FinalDelay = 0 };

    /// <summary>Every timing at upsmon's own default, as a fresh install runs it.</summary>
    public static UpsmonOptions Defaults(UpsmonRole role) =>
        new() { Role = role, PollFreq = null, PollFreqAlert = null, HostSync = null, DeadTime = null, FinalDelay = null };
}
