using UpsAgent.Backup.Iso9660.RockRidge;

namespace UpsAgent.Backup.Iso9660;

/// <summary>
/// Where every structure of one session goes, in absolute LBAs (ECMA-119 §6.2: extents count from the
/// start of the disc, never from the session). Order, relative to the session start S: system area
/// S+0–15, PVD S+16, Joliet SVD S+17, terminator S+18, the four path tables, primary directories,
/// continuation areas, Joliet directories, then new file data, so every reader finds all metadata before
/// the data it describes. Files reused from an earlier session keep their old extents below S.
/// </summary>
public sealed class IsoPlan
{
    public required IsoOptions Options { get; init; }

    /// <summary>First block of this session; 0 for a plain single-session image.</summary>
    public uint SessionStartLba { get; init; }

    public uint PrimaryDescriptorLba => SessionStartLba + 16;

    public uint JolietDescriptorLba => SessionStartLba + 17;

    public uint TerminatorLba => SessionStartLba + 18;

    public List<PlannedDirectory> PrimaryDirectories { get; } = [];

    public List<PlannedDirectory> JolietDirectories { get; } = [];

    public List<ContinuationArea> ContinuationAreas { get; } = [];

    public List<PlannedFile> Files { get; } = [];

    public int PrimaryPathTableBytes { get; set; }

    public int JolietPathTableBytes { get; set; }

    public uint PrimaryLPathLba { get; set; }

    public uint PrimaryMPathLba { get; set; }

    public uint JolietLPathLba { get; set; }

    public uint JolietMPathLba { get; set; }

    public uint ContinuationLba { get; set; }

    public uint ContinuationBlocks { get; set; }

    public uint DataLba { get; set; }

    /// <summary>Where records with no data point (empty files, links, devices): a valid LBA after all metadata.</summary>
    public uint EmptyLba { get; set; }

    /// <summary>Absolute end of the session: the first block after it.</summary>
    public uint EndLba { get; set; }

    /// <summary>
    /// The session's own volume space size (§8.4.8), counted from its start like genisoimage -C and
    /// xorriso write it; the copy of the descriptors at block 16 states <see cref="EndLba"/> instead.
    /// </summary>
    public uint VolumeBlocks => EndLba - SessionStartLba;

    public IEnumerable<PlannedFile> NewFiles => Files.Where(f => !f.Reused);

    public uint ExtentOf(PlannedRecord record) =>
        record.Directory is { } d ? d.Lba
        : record.File is { } f && f.SizeBytes > 0 ? f.Lba + (uint)(record.SectionOffsetBytes / IsoFields.BlockBytes)
        : EmptyLba;

    public uint DataLengthOf(PlannedRecord record) =>
        record.Directory is { } d ? (uint)d.SizeBytes : record.SectionBytes;
}
