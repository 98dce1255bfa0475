namespace UpsAgent.Raid.Commands;

/// <summary>The words and options of one "raid" subcommand, already split by the command line parser.</summary>
public sealed record RaidCommandArgs
{
    /// <summary>Member paths in role order; "missing" stands for an absent member, as in mdadm.</summary>
    public IReadOnlyList<string> Members { get; init; } = [];

    public int? Level { get; init; }

    public int? ChunkKib { get; init; }

    public string? Layout { get; init; }

    /// <summary>Size of image files to create, e.g. "64M".</summary>
    public string? Size { get; init; }

    public long Offset { get; init; }

    public long? Length { get; init; }

    /// <summary>The device add, fail and remove act on.</summary>
    public string? Device { get; init; }

    public string? Name { get; init; }

    public bool Force { get; init; }

    public bool AssumeClean { get; init; }

    /// <summary>Create with an internal write-intent bitmap.</summary>
    public bool Bitmap { get; init; }

    /// <summary>Bitmap chunk in KiB (mdadm --bitmap-chunk).</summary>
    public long? BitmapChunkKib { get; init; }

    /// <summary>md's sync_speed_min and sync_speed_max for rebuild, resync and scrub, KiB/s.</summary>
    public long? SpeedMinKib { get; init; }

    public long? SpeedMaxKib { get; init; }

    /// <summary>Flush after every block of input and report it on stdout (raid write).</summary>
    public bool Sync { get; init; }
}
