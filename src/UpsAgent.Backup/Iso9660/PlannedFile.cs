namespace UpsAgent.Backup.Iso9660;

/// <summary>The data extent of one regular file; the primary and Joliet records share it.</summary>
public sealed class PlannedFile(SourceNode node)
{
    public SourceNode Node { get; } = node;

    public long SizeBytes => Node.SizeBytes;

    public uint Lba { get; set; }

    /// <summary>Where an earlier session holds the same bytes; the planner uses it unless <see cref="NeedsContinuation"/>.</summary>
    public uint? ReusableLba { get; set; }

    /// <summary>True when the data stays where an earlier session wrote it and this session writes none.</summary>
    public bool Reused { get; set; }

    /// <summary>
    /// A record of this file needs a SUSP continuation area. libarchive rejects a CE that lies at or after
    /// the file's data (specs/iso.md §3.7), and a reused file's data lies before the new CE, so such a file is rewritten.
    /// </summary>
    public bool NeedsContinuation { get; set; }

    public long Blocks => (SizeBytes + IsoFields.BlockBytes - 1) / IsoFields.BlockBytes;
}
