using System.Text;
using UpsAgent.Backup.Iso9660;

namespace UpsAgent.Backup.Tests.Iso9660;

/// <summary>Source trees built in memory: file content is derived from the node name, so no disk is needed.</summary>
internal static class MemoryTree
{
    public const long Time = 1709213862; // 2024-02-29 13:37:42 UTC

    public static SourceNode Dir(string name, params SourceNode[] children)
    {
        var node = new SourceNode { Name = name, Kind = SourceKind.Directory, Permissions = 0x1ED, ModifyTime = Time, AccessTime = Time, ChangeTime = Time };
        node.Children.AddRange(children);
        return node;
    }

    public static SourceNode File(string name, long size, uint permissions = 0x1A4, uint uid = 0, uint gid = 0) =>
        new() { Name = name, Kind = SourceKind.File, SizeBytes = size, Permissions = permissions, Uid = uid, Gid = gid, ModifyTime = Time, AccessTime = Time + 1, ChangeTime = Time + 2 };

    public static SourceNode Link(string name, string target) =>
        new() { Name = name, Kind = SourceKind.Symlink, SymlinkTarget = target, Permissions = 0x1FF, ModifyTime = Time - 86400, AccessTime = Time, ChangeTime = Time };

    public static byte[] Content(SourceNode node)
    {
        byte[] data = new byte[node.SizeBytes];
        byte[] seed = Encoding.UTF8.GetBytes(node.Name);
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (byte)(seed[i % seed.Length] + (i / 7));
        }

        return data;
    }

    public static byte[] Image(SourceNode root, long time = Time)
    {
        IsoPlan plan = IsoPlanner.Plan(root, new IsoOptions("TEST", time));
        using var output = new MemoryStream();
        IsoWriter.Write(plan, output, n => new MemoryStream(Content(n)));
        return output.ToArray();
    }

    /// <summary>The tree of the interop tests without the disk: long and Japanese names, deep path, links, an empty dir.</summary>
    public static SourceNode Sample()
    {
        SourceNode deep = File("bottom.txt", 7);
        for (int level = 9; level >= 1; level--)
        {
            deep = Dir($"l{level}", deep);
        }

        return Dir(
            "",
            File("README.txt", 6),
            File("バックアップ.sql", 1),
            Dir("日本語ディレクトリ", File("データ.txt", 5)),
            File("this_is_a_very_long_file_name_that_exceeds_the_iso9660_level2_limit_and_joliet_64_chars_backup.tar.gz", 5),
            File(new string('n', 240) + ".txt", 3000),
            File(new string('e', 200), 0),
            Dir("deep", deep),
            File("secret_0600.conf", 7, permissions: 0x180, uid: 1234, gid: 1234),
            File("empty.txt", 0),
            Dir("empty_dir"),
            Link("link_to_dump", "バックアップ.sql"),
            Link("abs_link", "/etc/hostname"),
            Link("up_link", "../x/./y"),
            File("random.bin", 100003));
    }
}
