using UpsAgent.Raid.Geometry;

namespace UpsAgent.Raid.Engine;

/// <summary>What "create" needs; unset values take mdadm 4.2's defaults.</summary>
public sealed record ArrayCreateOptions(RaidLevel Level)
{
    /// <summary>Chunk in KiB (mdadm default 512; ignored for RAID1).</summary>
    public int ChunkKib { get; init; } = Metadata.MdCreateDefaults.ChunkKib;

    /// <summary>Layout number; null for the level's default (left-symmetric, n2).</summary>
    public int? Layout { get; init; }

    /// <summary>"homehost:name" as mdadm stores it.</summary>
    public string Name { get; init; } = "upsagent:0";

    /// <summary>Data offset in sectors; null for mdadm's rule.</summary>
    public long? DataOffsetSectors { get; init; }

    /// <summary>The members hold zeros (fresh sparse images), so parity is already consistent.</summary>
    public bool AssumeClean { get; init; }

    /// <summary>An internal write-intent bitmap (mdadm --bitmap=internal).</summary>
    public bool Bitmap { get; init; }

    /// <summary>Bitmap chunk in bytes; null for mdadm's 64 MiB (doubled until the bits fit).</summary>
    public long? BitmapChunkBytes { get; init; }
}
