using UpsAgent.Backup.Iso9660;

namespace UpsAgent.Backup.Manifest;

/// <summary>
/// Moves one file's data to the end of a freshly planned session, so the writer streams it after every
/// other file: the manifest is written last, once each file's SHA-256 was taken from the bytes written.
/// </summary>
public static class ManifestLayout
{
    public static void MoveToEnd(IsoPlan plan, PlannedFile last)
    {
        List<PlannedFile> files = plan.Files;
        int index = files.IndexOf(last);
        if (index < 0)
        {
            throw new ArgumentException($"'{last.Node.Name}' is not a file of this plan", nameof(last));
        }

        // The planner lays the session's new files out back to back in list order from DataLba; files reused
        // from an earlier session keep their extents below the session and are neither checked nor moved.
        long lba = plan.DataLba;
        foreach (PlannedFile f in files)
        {
            if (f.Reused)
            {
                continue;
            }

            if (f.SizeBytes > 0 && f.Lba != lba)
            {
                throw new InvalidOperationException($"file '{f.Node.Name}' starts at block {f.Lba}, not {lba}: the plan is not one contiguous data area");
            }

            lba += f.Blocks;
        }

        files.RemoveAt(index);
        uint at = last.Lba;
        for (int i = index; i < files.Count; i++)
        {
            if (!files[i].Reused)
            {
                files[i].Lba = at;
                at += (uint)files[i].Blocks;
            }
        }

        last.Lba = at;
        files.Add(last);
    }
}
