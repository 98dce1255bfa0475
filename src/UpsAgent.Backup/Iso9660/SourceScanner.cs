using System.IO.Enumeration;
using Microsoft.Win32.SafeHandles;
using UpsAgent.Backup.Posix;

namespace UpsAgent.Backup.Iso9660;

/// <summary>Takes the snapshot of a directory tree that the planner works from (links are not followed).</summary>
public static class SourceScanner
{
    // Every entry, hidden ones too: the default EnumerationOptions skip names starting with a dot.
    private static readonly EnumerationOptions Everything = new()
    {
        AttributesToSkip = 0,
        IgnoreInaccessible = false,
        RecurseSubdirectories = false,
        ReturnSpecialDirectories = false,
    };

    public static SourceNode Scan(string rootPath)
    {
        string full = Path.GetFullPath(rootPath);
        PosixStat st = PosixFiles.LStat(full);
        if (SourceNode.KindOf(st.Mode) != SourceKind.Directory)
        {
            throw new IOException($"{rootPath} is not a directory");
        }

        return ScanEntry(Path.TrimEndingDirectorySeparator(full), "", st);
    }

    private static SourceNode ScanEntry(string path, string name, PosixStat st)
    {
        SourceKind kind = SourceNode.KindOf(st.Mode);
        var node = new SourceNode
        {
            Name = name,
            Kind = kind,
            SizeBytes = kind == SourceKind.File ? st.SizeBytes : 0,
            AllocatedBytes = kind == SourceKind.File ? st.AllocatedBytes : 0,
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
            // Names from readdir, attributes from statx relative to the open directory: one path
            // component to resolve per entry, not the whole path again.
            using SafeFileHandle directory = PosixFiles.OpenDirectory(path);
            var names = new FileSystemEnumerable<string>(path, static (ref FileSystemEntry e) => e.FileName.ToString(), Everything);
            string prefix = path == "/" ? "/" : path + "/";
            foreach (string child in names)
            {
                string childPath = prefix + child;
                node.Children.Add(ScanEntry(childPath, child, PosixFiles.LStatAt(directory, child, childPath)));
            }
        }

        return node;
    }
}
