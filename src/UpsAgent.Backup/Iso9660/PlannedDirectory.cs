namespace UpsAgent.Backup.Iso9660;

/// <summary>A directory of one tree (primary or Joliet): its records, size, path-table number and place.</summary>
public sealed class PlannedDirectory(SourceNode node, PlannedDirectory? parent, byte[] identifier)
{
    public SourceNode Node { get; } = node;

    /// <summary>Null for the root, whose ".." is itself (§6.8.2).</summary>
    public PlannedDirectory? Parent { get; } = parent;

    public byte[] Identifier { get; } = identifier;

    /// <summary>1-based number in the path table (§6.9.1).</summary>
    public int Number { get; set; }

    public List<PlannedRecord> Records { get; } = [];

    public int SizeBytes { get; set; }

    public uint Lba { get; set; }

    public int Blocks => SizeBytes / IsoFields.BlockBytes;
}
