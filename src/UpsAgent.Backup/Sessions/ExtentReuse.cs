using UpsAgent.Backup.Iso9660;

namespace UpsAgent.Backup.Sessions;

/// <summary>
/// Pure apart from reading: decides which files of a new snapshot keep the data extent the newest session
/// holds for the same path. Only contiguous extents inside the committed volume qualify, so the planner can
/// treat a reused file like a new one that happens to lie below the session start.
/// </summary>
public static class ExtentReuse
{
    public static Dictionary<SourceNode, uint> Find(IsoImage previous, SourceNode root, ReuseRule rule, Func<SourceNode, Stream> openSource)
    {
        var reusable = new Dictionary<SourceNode, uint>(ReferenceEqualityComparer.Instance);
        if (rule == ReuseRule.Never || !previous.HasRockRidge)
        {
            // Without Rock Ridge neither the real names nor the times are known.
            return reusable;
        }

        var old = new Dictionary<string, IsoEntry>(StringComparer.Ordinal);
        foreach ((string path, IsoEntry entry) in previous.Walk())
        {
            if (entry.Kind == SourceKind.File && entry.SizeBytes > 0 && entry.HasRockRidge && IsContiguousWithin(entry, previous.VolumeEndLba))
            {
                old[path] = entry;
            }
        }

        foreach ((string path, SourceNode child) in root.Descendants())
        {
            if (child.Kind == SourceKind.File && old.TryGetValue(path, out IsoEntry? entry) && entry.SizeBytes == child.SizeBytes
                && Unchanged(previous, entry, child, rule, openSource))
            {
                reusable[child] = entry.Extents[0].Lba;
            }
        }

        return reusable;
    }

    private static bool Unchanged(IsoImage previous, IsoEntry entry, SourceNode node, ReuseRule rule, Func<SourceNode, Stream> openSource)
    {
        if (rule == ReuseRule.SizeAndTimes)
        {
            return entry.ModifyTime == node.ModifyTime && entry.ChangeTime == node.ChangeTime
                && entry.ModifyTime < previous.RecordingTime && entry.ChangeTime < previous.RecordingTime;
        }

        using Stream source = openSource(node);
        return previous.ContentEquals(entry, source);
    }

    /// <summary>Every section but the last fills whole blocks and the next follows it directly (ECMA-119 §6.5.1).</summary>
    private static bool IsContiguousWithin(IsoEntry entry, uint volumeEndLba)
    {
        for (int i = 1; i < entry.Extents.Count; i++)
        {
            (uint lba, uint bytes) = entry.Extents[i - 1];
            if (bytes % IsoFields.BlockBytes != 0 || entry.Extents[i].Lba != lba + (bytes / IsoFields.BlockBytes))
            {
                return false;
            }
        }

        (uint lastLba, uint lastBytes) = entry.Extents[^1];
        return (long)lastLba * IsoFields.BlockBytes + lastBytes <= (long)volumeEndLba * IsoFields.BlockBytes;
    }
}
