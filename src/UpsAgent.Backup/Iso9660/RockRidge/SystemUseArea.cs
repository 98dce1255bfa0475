namespace UpsAgent.Backup.Iso9660.RockRidge;

/// <summary>
/// The system-use area of one directory record: the entries kept inline and, when they do not all fit,
/// a CE pointing at a chain of continuation areas. Inline is preferred (bsdtar rejects CE areas placed
/// after a file's data; we place them before, but keeping them inline also keeps appended sessions safe).
/// </summary>
public sealed class SystemUseArea
{
    public List<byte[]> Inline { get; } = [];

    public ContinuationArea? Continuation { get; private set; }

    public int InlineBytes => SumOfLengths(Inline) + (Continuation is null ? 0 : SystemUseEntries.ContinuationEntryBytes);

    public static SystemUseArea Layout(IReadOnlyList<byte[]> entries, int capacityBytes)
    {
        var area = new SystemUseArea();
        int total = SumOfLengths(entries);
        if (total <= capacityBytes)
        {
            area.Inline.AddRange(entries);
            return area;
        }

        int used = 0;
        int i = 0;
        while (i < entries.Count && used + entries[i].Length + SystemUseEntries.ContinuationEntryBytes <= capacityBytes)
        {
            used += entries[i].Length;
            area.Inline.Add(entries[i++]);
        }

        var first = new ContinuationArea();
        ContinuationArea current = first;
        int currentBytes = 0;
        for (; i < entries.Count; i++)
        {
            bool last = i == entries.Count - 1;
            int need = entries[i].Length + (last ? 0 : SystemUseEntries.ContinuationEntryBytes);
            if (currentBytes + need > IsoFields.BlockBytes)
            {
                var next = new ContinuationArea();
                current.Next = next;
                current = next;
                currentBytes = 0;
            }

            current.Entries.Add(entries[i]);
            currentBytes += entries[i].Length;
        }

        area.Continuation = first;
        return area;
    }

    private static int SumOfLengths(IReadOnlyList<byte[]> entries)
    {
        int total = 0;
        for (int i = 0; i < entries.Count; i++)
        {
            total += entries[i].Length;
        }

        return total;
    }
}
