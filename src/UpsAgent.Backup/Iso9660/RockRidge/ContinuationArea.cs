namespace UpsAgent.Backup.Iso9660.RockRidge;

/// <summary>
/// SUSP 5.1 continuation area: entries that did not fit in a directory record. One area never crosses a
/// block (libarchive rejects CE areas longer than a block); a longer list chains to <see cref="Next"/>.
/// The planner places it among the directory blocks, before all file data.
/// </summary>
public sealed class ContinuationArea
{
    public List<byte[]> Entries { get; } = [];

    public ContinuationArea? Next { get; set; }

    public uint Lba { get; set; }

    public int OffsetBytes { get; set; }

    public int LengthBytes => Entries.Sum(e => e.Length) + (Next is null ? 0 : SystemUseEntries.ContinuationEntryBytes);
}
