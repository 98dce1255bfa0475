using UpsAgent.Backup.Schedules;

namespace UpsAgent.Backup.Jobs;

/// <summary>
/// A [job NAME] section: what to back up (directory trees, each kept under its own name, and PostgreSQL
/// databases dumped by pg_dump into pg_dump/DBNAME.sql), when (a crontab schedule) and where (a growing
/// image file, one session per run, or a rotation set of media).
/// </summary>
public sealed record BackupJob(string Name, CronSchedule Schedule)
{
    public IReadOnlyList<string> Sources { get; init; } = [];

    public IReadOnlyList<string> Databases { get; init; } = [];

    /// <summary>The account pg_dump runs as (through runuser when the agent runs as root).</summary>
    public string PgDumpUser { get; init; } = "postgres";

    public string PgDumpCommand { get; init; } = "pg_dump";

    /// <summary>Arguments before the database name, e.g. --clean --if-exists.</summary>
    public IReadOnlyList<string> PgDumpOptions { get; init; } = [];

    /// <summary>An image file grown by one session per run ("iso append"); null when <see cref="Rotation"/> is the target.</summary>
    public string? ImagePath { get; init; }

    /// <summary>What the image's sessions must fit, checked before each run writes (image = PATH only; a rotation set's media know their own).</summary>
    public JobCapacity Capacity { get; init; } = JobCapacity.FreeSpace;

    /// <summary>A rotation set in turn order (label, target address), as "media rotate --medium" takes them.</summary>
    public IReadOnlyList<(string Label, string Target)> Rotation { get; init; } = [];

    /// <summary>Volume id of an image target's sessions; a rotation set uses each medium's label.</summary>
    public string VolumeId { get; init; } = "UPSAGENT";

    /// <summary>Read the new session back after writing (always done for a rotation set).</summary>
    public bool Verify { get; init; } = true;

    /// <summary>Store a manifest in the session and record it in the catalog (always done for a rotation set).</summary>
    public bool Manifest { get; init; } = true;

    /// <summary>Where the catalog, the last results and the dumps in progress live.</summary>
    public string StateDirectory { get; init; } = "/var/lib/upsagent";

    /// <summary>Where the target is, for listings.</summary>
    public string TargetText => ImagePath is not null ? $"image {ImagePath}" : "rotation " + string.Join(",", Rotation.Select(r => $"{r.Label}={r.Target}"));
}
