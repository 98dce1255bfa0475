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

        // The planner lays files out back to back in list order from DataLba; anything else (extents reused
        // from an earlier session) must not be moved around.
        long lba = plan.DataLba;
        foreach (PlannedFile f in files)
        {
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
            files[i].Lba = at;
            at += (uint)files[i].Blocks;
        }

        last.Lba = at;
        files.Add(last);
    }
}
