using UpsAgent.Backup.Iso9660;

namespace UpsAgent.Backup.Jobs;

/// <summary>
/// The tree one run writes: the staged root (holding pg_dump/ when there are dumps) with each source
/// directory below it under its own last path component, as "mkisofs -graft-points name/=dir" would put it.
/// </summary>
public static class JobTree
{
    /// <summary>The name a source directory is kept under: its last path component.</summary>
    public static string NameOf(string source) => Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(source)));

    public static SourceNode Build(string stagedRoot, IReadOnlyList<string> sources)
    {
        SourceNode root = SourceScanner.Scan(stagedRoot);
        foreach (string source in sources)
        {
            string name = NameOf(source);
            if (root.Children.Any(c => c.Name == name))
            {
                throw new JobFailedException($"source {source}: another entry is already named '{name}'");
            }

            root.Children.Add(Renamed(SourceScanner.Scan(source), name));
        }

        return root;
    }

    private static SourceNode Renamed(SourceNode node, string name)
    {
        var copy = new SourceNode
        {
            Name = name,
            Kind = node.Kind,
            SizeBytes = node.SizeBytes,
            AllocatedBytes = node.AllocatedBytes,
            Permissions = node.Permissions,
            Uid = node.Uid,
            Gid = node.Gid,
            ModifyTime = node.ModifyTime,
            AccessTime = node.AccessTime,
            ChangeTime = node.ChangeTime,
            SymlinkTarget = node.SymlinkTarget,
            DeviceMajor = node.DeviceMajor,
            DeviceMinor = node.DeviceMinor,
            SourcePath = node.SourcePath,
        };
        copy.Children.AddRange(node.Children);
        return copy;
    }
}
