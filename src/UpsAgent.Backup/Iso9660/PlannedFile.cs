namespace UpsAgent.Backup.Iso9660;

/// <summary>The data extent of one regular file; the primary and Joliet records share it.</summary>
public sealed class PlannedFile(SourceNode node)
{
    public SourceNode Node { get; } = node;

    public long SizeBytes => Node.SizeBytes;

    public uint Lba { get; set; }

    public long Blocks => (SizeBytes + IsoFields.BlockBytes - 1) / IsoFields.BlockBytes;
}
