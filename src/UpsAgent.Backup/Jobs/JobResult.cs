using System.Globalization;

namespace UpsAgent.Backup.Jobs;

/// <summary>How one run of a job ended. Times are Unix seconds; sizes are bytes.</summary>
public sealed record JobResult(string Job, bool Succeeded, long StartedTime, double DurationSeconds, string Message)
{
    /// <summary>Bytes of the session written (its blocks), 0 when nothing was written.</summary>
    public long SessionBytes { get; init; }

    /// <summary>Bytes of file data that were new in this session (not reused from an earlier one).</summary>
    public long NewBytes { get; init; }

    /// <summary>Bytes pg_dump wrote, all databases together.</summary>
    public long DumpBytes { get; init; }

    public string Summary() => string.Create(
        CultureInfo.InvariantCulture,
        $"{(Succeeded ? "ok" : "FAILED")} at {DateTimeOffset.FromUnixTimeSeconds(StartedTime).ToLocalTime():yyyy-MM-dd HH:mm:ss zzz} after {DurationSeconds:0.0} s: {Message}");
}
