namespace UpsAgent.Backup.Iso9660;

/// <summary>
/// One entry of a source tree snapshot: everything the planner needs, taken once, so planning never
/// touches the file system. Times are Unix seconds (RRIP TF short form has one-second resolution).
/// </summary>
public sealed class SourceNode
{
    public required string Name { get; init; }

    public required SourceKind Kind { get; init; }

    public long SizeBytes { get; init; }

    /// <summary>
    /// Bytes the file system holds for a regular file (st_blocks × 512) when the snapshot was taken; less
    /// than <see cref="SizeBytes"/> hints at holes worth skipping. 0 when unknown (in-memory content).
    /// </summary>
    public long AllocatedBytes { get; init; }

    /// <summary>Permission bits only (07777); the type bits come from <see cref="Kind"/>.</summary>
    public uint Permissions { get; init; }

    public uint Uid { get; init; }

    public uint Gid { get; init; }

    public long ModifyTime { get; init; }

    public long AccessTime { get; init; }

    public long ChangeTime { get; init; }

    public string? SymlinkTarget { get; init; }

    public uint DeviceMajor { get; init; }

    public uint DeviceMinor { get; init; }

    /// <summary>Where the writer reads a regular file's bytes from; null for in-memory content in tests.</summary>
    public string? SourcePath { get; init; }

    public List<SourceNode> Children { get; } = [];

    /// <summary>
    /// Every node below this one with its path relative to it ('/' between names), each directory's
    /// children before those of the directories inside it.
    /// </summary>
    public IEnumerable<(string Path, SourceNode Node)> Descendants()
    {
        var stack = new Stack<(string Prefix, SourceNode Node)>();
        stack.Push(("", this));
        while (stack.Count > 0)
        {
            (string prefix, SourceNode dir) = stack.Pop();
            foreach (SourceNode child in dir.Children)
            {
                string path = prefix.Length == 0 ? child.Name : $"{prefix}/{child.Name}";
                yield return (path, child);
                if (child.Kind == SourceKind.Directory)
                {
                    stack.Push((path, child));
                }
            }
        }
    }

    public uint PosixMode => Permissions | Kind switch
    {
        SourceKind.File => 0x8000u,
        SourceKind.Directory => 0x4000u,
        SourceKind.Symlink => 0xA000u,
        SourceKind.CharacterDevice => 0x2000u,
        SourceKind.BlockDevice => 0x6000u,
        SourceKind.Fifo => 0x1000u,
        SourceKind.Socket => 0xC000u,
        _ => 0u,
    };

    public static SourceKind KindOf(uint posixMode) => (posixMode & 0xF000u) switch
    {
        0x4000u => SourceKind.Directory,
        0xA000u => SourceKind.Symlink,
        0x2000u => SourceKind.CharacterDevice,
        0x6000u => SourceKind.BlockDevice,
        0x1000u => SourceKind.Fifo,
        0xC000u => SourceKind.Socket,
        _ => SourceKind.File,
    };
}
