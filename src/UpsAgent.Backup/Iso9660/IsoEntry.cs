namespace UpsAgent.Backup.Iso9660;

/// <summary>One file, directory or special file as a reader sees it, with Rock Ridge attributes when present.</summary>
public sealed class IsoEntry
{
    public required string Name { get; set; }

    public SourceKind Kind { get; set; }

    public List<(uint Lba, uint Bytes)> Extents { get; } = [];

    public long SizeBytes => Extents.Sum(e => (long)e.Bytes);

    /// <summary>POSIX mode with type bits, from RRIP PX; synthesized (0555 / 0444) without Rock Ridge.</summary>
    public uint Mode { get; set; }

    public uint Links { get; set; } = 1;

    public uint Uid { get; set; }

    public uint Gid { get; set; }

    public long ModifyTime { get; set; }

    public long AccessTime { get; set; }

    public long ChangeTime { get; set; }

    public string? SymlinkTarget { get; set; }

    public uint DeviceMajor { get; set; }

    public uint DeviceMinor { get; set; }

    public bool HasRockRidge { get; set; }

    /// <summary>Set by RRIP RE: a relocated directory that readers hide from its relocation parent.</summary>
    public bool Relocated { get; set; }

    public byte FileFlags { get; set; }
}
