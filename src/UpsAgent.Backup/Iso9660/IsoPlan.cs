using UpsAgent.Backup.Iso9660.RockRidge;

namespace UpsAgent.Backup.Iso9660;

/// <summary>
/// Where every structure of a single-session image goes. Order on disc: system area 0–15, PVD 16,
/// Joliet SVD 17, terminator 18, the four path tables, primary directories, continuation areas, Joliet
/// directories, then file data, so every reader finds all metadata before the data it describes.
/// </summary>
public sealed class IsoPlan
{
    public const uint PrimaryDescriptorLba = 16;
    public const uint JolietDescriptorLba = 17;
    public const uint TerminatorLba = 18;

    public required IsoOptions Options { get; init; }

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

    public uint VolumeBlocks { get; set; }

    public uint ExtentOf(PlannedRecord record) =>
        record.Directory is { } d ? d.Lba
        : record.File is { } f && f.SizeBytes > 0 ? f.Lba + (uint)(record.SectionOffsetBytes / IsoFields.BlockBytes)
        : EmptyLba;

    public uint DataLengthOf(PlannedRecord record) =>
        record.Directory is { } d ? (uint)d.SizeBytes : record.SectionBytes;
}
