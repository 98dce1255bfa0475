using UpsAgent.Backup.Posix;

namespace UpsAgent.Backup.Iso9660;

/// <summary>Takes the snapshot of a directory tree that the planner works from (links are not followed).</summary>
public static class SourceScanner
{
    public static SourceNode Scan(string rootPath)
    {
        string full = Path.GetFullPath(rootPath);
        PosixStat st = PosixFiles.LStat(full);
        if (SourceNode.KindOf(st.Mode) != SourceKind.Directory)
        {
            throw new IOException($"{rootPath} is not a directory");
        }

        return ScanEntry(full, "", st);
    }

    private static SourceNode ScanEntry(string path, string name, PosixStat st)
    {
        SourceKind kind = SourceNode.KindOf(st.Mode);
        var node = new SourceNode
        {
            Name = name,
            Kind = kind,
            SizeBytes = kind == SourceKind.File ? st.SizeBytes : 0,
            Permissions = st.Mode & 0xFFFu,
            Uid = st.Uid,
            Gid = st.Gid,
            ModifyTime = st.ModifyTime,
            AccessTime = st.AccessTime,
            ChangeTime = st.ChangeTime,
            SymlinkTarget = kind == SourceKind.Symlink ? new FileInfo(path).LinkTarget : null,
            DeviceMajor = st.RdevMajor,
            DeviceMinor = st.RdevMinor,
            SourcePath = kind == SourceKind.File ? path : null,
        };
        if (kind == SourceKind.Directory)
        {
            foreach (string child in Directory.EnumerateFileSystemEntries(path))
            {
                node.Children.Add(ScanEntry(child, Path.GetFileName(child), PosixFiles.LStat(child)));
            }
        }

        return node;
    }
}
